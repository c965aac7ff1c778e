import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { DiscordSimulator } from '@guildmint/discord-simulator';
import { createEconomy, type Economy } from '@guildmint/sdk';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@guildmint/test-support';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, ensureBuilt, freePort, type RunningApp, startApp } from '../support/app-server';

/**
 * The developers page in Chromium against `next build && next start`: the guild's owner creates an API
 * key, sees it once (with a copy button), uses it against the real API v1 route, and revokes it, after
 * which the API refuses it. The bot's presence is reported straight into the economy store (no runtime):
 * this test is about keys, not about adding the bot.
 */

const ARTIFACTS = join(APP_DIR, 'artifacts', 'e2e');
const OWNER_ID = '420000000000000001';

describe('developers page in a browser', () => {
  let dir: string;
  let sim: DiscordSimulator;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let economy: Economy;
  let guildId: string;

  beforeAll(async () => {
    const buildMs = ensureBuilt();
    console.log(
      `e2e: next build ${buildMs ? `${(buildMs / 1000).toFixed(1)} s` : 'reused (sources unchanged)'}`,
    );
    dir = mkdtempSync(join(tmpdir(), 'guildmint-e2e-dev-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    sim = await DiscordSimulator.start();
    sim.addUser({ id: OWNER_ID, username: 'owner', globalName: 'Key Owner' });
    guildId = sim.addGuild({ name: 'Key Guild', ownerId: OWNER_ID, withBot: true }).id;
    economy = createEconomy({ storage: `file:${join(dir, 'economy.db')}` });
    await economy.migrate();
    await economy.tenant(guildId).reportPresence(true);
    await economy.tenant(guildId).grant('500000000000000001', 70n, { reason: 'seed', actor: 'test' });

    const port = await freePort();
    sim.registerOAuthApp({ redirectUris: [`http://localhost:${port}/api/auth/callback/discord`] });
    app = await startApp(
      { ...sim.oauthEnv(), AUTH_SECRET: randomBytes(32).toString('hex'), GUILDMINT_DATA_DIR: dir },
      { port },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await sim?.close();
    await economy?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const balance = (key: string) =>
    fetch(`${app.url}/api/v1/tenants/${guildId}/members/500000000000000001/balance`, {
      headers: { authorization: `Bearer ${key}` },
    });

  it('creates a key shown once, which the API accepts until it is revoked', async () => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Log in with Discord' }).click();
    await page.getByRole('button', { name: 'Log in as Key Owner' }).click();
    await page.waitForURL(`${app.url}/guilds`);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Key Guild' }) });
    await card.getByRole('link', { name: 'Set up economy' }).click();
    await page.getByRole('radio', { name: /Classic/ }).check();
    await page.getByRole('button', { name: 'Create economy' }).click();
    await page.waitForURL(`${app.url}/t/${guildId}/economy`);

    await page.getByRole('link', { name: 'Developers' }).click();
    await page.getByRole('heading', { name: 'Developers' }).waitFor();
    await page.getByText('No API keys yet').waitFor();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('my bot');
    await dialog.getByLabel('write').check();
    await dialog.getByRole('button', { name: 'Create' }).click();

    const shown = page.getByTestId('new-api-key');
    await shown.waitFor();
    const secret = (await shown.textContent()) ?? '';
    expect(secret).toMatch(/^gm_live_[0-9A-Za-z]{36}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.screenshot({ path: join(ARTIFACTS, 'developers-created.png'), fullPage: true });
    const axe = await new AxeBuilder({ page }).analyze();
    expect(
      axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);

    const row = page.locator(`tr[data-prefix="${secret.slice(0, 16)}"]`);
    await row.getByText('read, write').waitFor();
    const accepted = await balance(secret);
    expect([accepted.status, await accepted.json()]).toEqual([
      200,
      { userId: '500000000000000001', balance: '70' },
    ]);

    // Shown once: gone after "I have saved it", and not on the page after a reload either.
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await expect(page.getByTestId('new-api-key').count()).resolves.toBe(0);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    await row.getByText('never', { exact: true }).first().waitFor();

    page.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked').waitFor();
    const refused = await balance(secret);
    expect([refused.status, (await refused.json()).error.code]).toEqual([401, 'UNAUTHORIZED']);
  });
});
