import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordSimulator } from '@guildmint/discord-simulator';
import { createEconomy, defineEconomy, type Economy, presets } from '@guildmint/sdk';
import { BROWSER_CONTEXT, CHROMIUM_ARGS, CHROMIUM_PATH } from '@guildmint/test-support';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, ensureBuilt, type RunningApp, startAppWithSimulator } from '../support/app-server';
import { expectAccessible as expectPageAccessible } from '../support/axe';

/**
 * The public leaderboard page in Chromium against `next build && next start`: off by default (404, the
 * same as an unknown guild), turned on by the owner in the editor, then shown to a visitor without a
 * session, with names and avatars the runtime recorded and server-side pages; a guild that did not opt
 * in stays a 404 whatever another one did.
 */

const ARTIFACTS = join(APP_DIR, 'artifacts', 'e2e');
const OWNER_ID = '430000000000000001';
const MEMBERS = 30;
const memberId = (i: number) => `53000000000000${String(1000 + i)}`;

describe('public leaderboard in a browser', () => {
  let dir: string;
  let sim: DiscordSimulator;
  let app: RunningApp;
  let browser: Browser;
  let owner: Page;
  let visitor: Page;
  let economy: Economy;
  let guildId: string;
  let otherId: string;

  beforeAll(async () => {
    const buildMs = await ensureBuilt();
    console.log(
      `e2e: next build ${buildMs ? `${(buildMs / 1000).toFixed(1)} s` : 'reused (sources unchanged)'}`,
    );
    dir = mkdtempSync(join(tmpdir(), 'guildmint-e2e-board-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    sim = await DiscordSimulator.start();
    sim.addUser({ id: OWNER_ID, username: 'owner', globalName: 'Board Owner' });
    guildId = sim.addGuild({ name: 'Board Guild', ownerId: OWNER_ID, withBot: true }).id;
    otherId = sim.addGuild({ name: 'Quiet Guild', withBot: true }).id;
    economy = createEconomy({ storage: `file:${join(dir, 'economy.db')}` });
    await economy.migrate();
    const tenant = economy.tenant(guildId);
    await tenant.reportPresence(true);
    // Member i holds 100·i: member 30 is first. What the runtime records of members, as it would.
    for (let i = 1; i <= MEMBERS; i++) {
      await tenant.grant(memberId(i), BigInt(100 * i), { reason: 'seed', actor: 'test' });
      if (i % 2 === 0) await tenant.recordMember(memberId(i), { name: `Player ${i}` });
    }
    await tenant.recordMember(memberId(MEMBERS), {
      name: 'Top Dog',
      avatar: `https://cdn.discordapp.com/avatars/${memberId(MEMBERS)}/abc.png`,
    });
    // Another guild with an economy and a named member, never opted in.
    const other = economy.tenant(otherId);
    await other.configure(defineEconomy(presets.classic));
    await other.grant('540000000000000001', 1_000_000n, { reason: 'seed', actor: 'test' });
    await other.recordMember('540000000000000001', { name: 'Quiet Rich' });

    app = await startAppWithSimulator(sim, dir);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    owner = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
    // A visitor with no session at all.
    visitor = await (
      await browser.newContext({ ...BROWSER_CONTEXT, viewport: { width: 1000, height: 900 } })
    ).newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await sim?.close();
    await economy?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function expectNotFound(path: string) {
    const response = await visitor.goto(`${app.url}${path}`);
    expect(response?.status(), path).toBe(404);
    expect(response?.headers()['cache-control'], path).toBe('no-store');
    await visitor.getByTestId('not-found').waitFor();
    expect(await visitor.content()).not.toMatch(/Player|Top Dog|Quiet Rich/);
  }

  const expectAccessible = (name: string) => expectPageAccessible(visitor, name);

  it('is a 404 until the owner turns it on, then lists members by name in pages', async () => {
    await expectNotFound(`/leaderboard/${guildId}`);
    await expectNotFound(`/leaderboard/${otherId}`);
    await expectNotFound('/leaderboard/999999999999999999');
    await expectNotFound('/leaderboard/not-a-guild');

    // The owner turns the page on in the editor and publishes.
    await owner.goto(app.url);
    await owner.getByRole('button', { name: 'Log in with Discord' }).click();
    await owner.getByRole('button', { name: 'Log in as Board Owner' }).click();
    await owner.waitForURL(`${app.url}/guilds`);
    const card = owner
      .getByRole('listitem')
      .filter({ has: owner.getByRole('heading', { name: 'Board Guild' }) });
    await card.getByRole('link', { name: 'Set up economy' }).click();
    await owner.getByRole('radio', { name: /Classic/ }).check();
    await owner.getByRole('button', { name: 'Create economy' }).click();
    await owner.waitForURL(`${app.url}/t/${guildId}/economy`);
    await owner.getByLabel(/Public leaderboard page/).check();
    await owner.getByTestId('diff').getByText('publicLeaderboard').first().waitFor();
    await owner.getByRole('button', { name: 'Review and publish' }).click();
    await owner
      .getByRole('dialog', { name: 'Publish version 2?' })
      .getByRole('button', { name: 'Publish', exact: true })
      .click();
    await owner.getByText('Published version 2.').waitFor();

    const response = await visitor.goto(`${app.url}/leaderboard/${guildId}`);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    // Nothing of the visitor in it: caches may keep it a minute.
    expect(headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=60');
    const board = visitor.getByTestId('public-leaderboard');
    await board.waitFor();
    const rows = board.getByRole('row');
    await expect(rows.count()).resolves.toBe(26); // the header and 25 members
    await expect(rows.nth(1).textContent()).resolves.toBe('1Top Dog🪙 3,000');
    await expect(rows.nth(2).textContent()).resolves.toMatch(/^2.*Unnamed member🪙 2,900$/);
    await expect(rows.nth(3).textContent()).resolves.toMatch(/^3.*Player 28🪙 2,800$/);
    expect(await rows.nth(1).locator('img').getAttribute('src')).toBe(
      `https://cdn.discordapp.com/avatars/${memberId(MEMBERS)}/abc.png`,
    );
    await board.getByText('Page 1 of 2').waitFor();
    // Nothing else of the economy: no ids, no other guild's members, no owner's pages.
    const html = await visitor.content();
    expect(html).not.toContain(memberId(MEMBERS - 1));
    expect(html).not.toContain('Quiet Rich');
    expect(html).not.toContain(`/t/${guildId}`);
    await visitor.screenshot({ path: join(ARTIFACTS, 'public-leaderboard.png'), fullPage: true });
    await expectAccessible('public leaderboard');
    await visitor.emulateMedia({ colorScheme: 'dark' });
    await visitor.screenshot({ path: join(ARTIFACTS, 'public-leaderboard-dark.png'), fullPage: true });
    await expectAccessible('public leaderboard (dark)');

    await board.getByRole('link', { name: 'Next page' }).click();
    await board.getByText('Page 2 of 2').waitFor();
    await expect(rows.count()).resolves.toBe(6);
    await expect(rows.nth(5).textContent()).resolves.toMatch(/^30.*Unnamed member🪙 100$/);

    // The bank and total boards are there (classic has a bank); a page past the end is a 404.
    await board.getByRole('link', { name: 'Wallet + bank' }).click();
    await visitor.waitForURL(/by=total/);
    await board.getByRole('columnheader', { name: 'Bank', exact: true }).waitFor();
    await expectNotFound(`/leaderboard/${guildId}?page=3`);
    // Another guild stays hidden.
    await expectNotFound(`/leaderboard/${otherId}`);
  });

  it('draws the forecast (the simulation expected against the actual supply) on the owner’s report', async () => {
    await owner.goto(`${app.url}/t/${guildId}/analytics?days=7`);
    const forecast = owner.getByTestId('forecast');
    await forecast.getByRole('img', { name: /Money supply expected against actual/ }).waitFor();
    await expect(forecast.locator('polyline').count()).resolves.toBe(2);
    // The range began before the first publish: the classic preset, for the 30 members holding coins.
    await expect(owner.getByTestId('forecast-assumptions').textContent()).resolves.toMatch(
      /config version 0 \(the classic preset\)[\s\S]*30 members/,
    );
    // The actual supply the chart ends on is the guild's: 100 + 200 + … + 3,000.
    await expect(owner.getByTestId('forecast-summary').textContent()).resolves.toMatch(/🪙 46,500 actual/);
    await owner.screenshot({ path: join(ARTIFACTS, 'forecast.png'), fullPage: true });
    const csv = await (
      await owner.request.get(`${app.url}/t/${guildId}/analytics/export/forecast?days=7`)
    ).text();
    expect(csv.split('\r\n')[0]).toBe('day,expected_supply,actual_supply');
    expect(csv.trim().split('\r\n').at(-1)).toMatch(/,46500$/);
  });
});
