import type { Tenant } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, startBrowserApp } from '../support/browser-app';

/**
 * Issue 14's editor sections in Chromium against `next build && next start` — levels (activity income,
 * role rewards), the bank (limits, interest), role income and the lottery: the owner changes each, publishes,
 * and the SDK reads back what was published. Robbery, trades, the log channel and texts are in
 * control-plane.e2e.test.ts. The app has the simulator's bot token, so role rewards and role income are
 * checked against the simulated guild's roles as in production (a role above the bot's is refused).
 */

const OWNER_ID = '440000000000000001';

describe('issue 14 editor sections in a browser', () => {
  let b: BrowserApp;
  let tenant: Tenant;
  let memberRole: string;
  let topRole: string;

  beforeAll(async () => {
    b = await startBrowserApp({
      ownerId: OWNER_ID,
      ownerName: 'Sections Owner',
      guildName: 'Sections Guild',
      env: (sim) => ({ DISCORD_BOT_TOKEN: sim.botToken }),
    });
    memberRole = b.sim.addRole(b.guildId, { name: 'Regular' });
    topRole = b.sim.addRole(b.guildId, { name: 'Above the bot', aboveBot: true });
    tenant = b.economy.tenant(b.guildId);
    await b.onboard();
  }, 300_000);

  afterAll(async () => {
    await b?.close();
  });

  const field = (label: string) => b.page.getByLabel(label, { exact: true });
  /** One section of the editor (several have a "Role id"). */
  const section = (path: string) => b.page.locator(`#section-${path}`);

  async function openEditor() {
    await b.page.goto(`${b.app.url}/t/${b.guildId}/economy`);
    await b.page.getByRole('heading', { name: 'Economy editor' }).waitFor();
  }

  /** Publishes the draft (its diff names `changed`) and reads the published config back through the SDK. */
  async function publish(changed: string) {
    await b.page.getByTestId('diff').getByText(changed).first().waitFor();
    await b.page.getByRole('button', { name: 'Review and publish' }).click();
    const dialog = b.page.getByRole('dialog', { name: /Publish version \d+\?/ });
    await dialog.getByText(changed).first().waitFor();
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await b.page.getByText(/Published version \d+\./).waitFor();
    tenant.reloadConfig();
    return tenant.config();
  }

  it('levels: activity income, voice, a role reward and where level-ups are announced', async () => {
    await openEditor();
    await b.page.getByLabel(/Messages and voice minutes earn coins and XP/).check();
    await field('Coins per message, at least (🪙)').fill('2');
    await field('Coins per message, at most (🪙)').fill('6');
    await field('One rewarded message per (seconds)').fill('90');
    await field('Most coins per member per day (🪙)').fill('150');
    await b.page.getByLabel('Voice minutes earn too (with someone listening, not deafened)').check();
    await field('Coins per minute (🪙)').fill('3');
    await b.page.getByLabel('Announce level-ups').selectOption('channel');
    await field('Announcement channel id').fill(b.sim.guild(b.guildId)!.channelId);
    await b.page.getByRole('button', { name: 'Add a role reward' }).click();
    await field('At level').fill('5');
    await section('levels').getByLabel('Role id', { exact: true }).fill(memberRole);
    await b.expectAccessible('editor: levels');
    await b.snap('members-01-levels');
    const config = await publish('levels.enabled');
    expect(config.levels).toMatchObject({
      enabled: true,
      message: { coins: { min: 2, max: 6 }, windowSeconds: 90 },
      dailyCoinCap: 150,
      voice: { enabled: true, coinsPerMinute: 3 },
      announce: { mode: 'channel', channelId: b.sim.guild(b.guildId)!.channelId },
      roleRewards: [{ level: 5, roleId: memberRole }],
    });
  }, 120_000);

  it('bank: limits and interest', async () => {
    await openEditor();
    await field('Smallest deposit or withdrawal (🪙)').fill('25');
    await field('Most a bank may hold (🪙)').fill('50000');
    await field('Interest per day (%)').fill('0.5');
    await field('Most interest per member per day (🪙)').fill('40');
    await field('Days of interest paid at most (days)').fill('3');
    const config = await publish('bank.interest.dailyRateBps');
    expect(config.bank).toMatchObject({
      enabled: true,
      minAmount: 25,
      maxBalance: 50_000,
      interest: { dailyRateBps: 50, maxPerDay: 40, maxDaysAccrued: 3 },
    });
    // Emptied, the limit is "none" again.
    await openEditor();
    await field('Most a bank may hold (🪙)').fill('');
    expect((await publish('bank.maxBalance')).bank.maxBalance).toBeNull();
  }, 120_000);

  it('role income: a role the bot may hand out is published; one above the bot is refused, nothing changes', async () => {
    await openEditor();
    await b.page.getByLabel('Roles pay an income (/collect)').check();
    await b.page.getByRole('button', { name: 'Add a role income' }).click();
    const roleId = section('roleIncome').getByLabel('Role id', { exact: true });
    await field('Pays (🪙)').fill('75');
    await b.page.getByLabel('How often').selectOption('week');
    await roleId.fill(topRole);
    const before = (await tenant.config()).version;
    await b.page.getByRole('button', { name: 'Review and publish' }).click();
    const dialog = b.page.getByRole('dialog', { name: /Publish version \d+\?/ });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await b.page
      .getByText(/role "Above the bot" is not below the bot's highest role/)
      .first()
      .waitFor();
    await b.snap('members-02-role-income-refused');
    tenant.reloadConfig();
    expect((await tenant.config()).version).toBe(before);
    await b.page.keyboard.press('Escape');

    await roleId.fill(memberRole);
    const config = await publish('roleIncome.enabled');
    expect(config.roleIncome).toEqual({
      enabled: true,
      roles: [{ roleId: memberRole, amount: 75, period: 'week' }],
    });
  }, 120_000);

  it('lottery: ticket price, tickets per member, house cut, draw hour and announcements', async () => {
    await openEditor();
    await b.page.getByLabel(/A daily lottery/).check();
    await field('Ticket price (🪙)').fill('20');
    await field('Most tickets per member per draw').fill('10');
    await field('House cut (%)').fill('7.5');
    await field('Draw at (hour, server time zone)').fill('21');
    await field('Announce winners in channel id').fill(b.sim.guild(b.guildId)!.channelId);
    await b.expectAccessible('editor: lottery');
    const config = await publish('lottery.enabled');
    expect(config.lottery).toMatchObject({
      enabled: true,
      ticketPrice: 20,
      maxTicketsPerMember: 10,
      houseCutBps: 750,
      drawHour: 21,
      announceChannelId: b.sim.guild(b.guildId)!.channelId,
    });
  }, 120_000);

  it('profile: hidden parts, highlights and whether members see each other; a bad count is refused', async () => {
    await openEditor();
    expect((await tenant.config()).profile.viewOthers).toBe(true);
    const profile = section('profile');
    await profile.getByLabel('Rank on the leaderboard', { exact: true }).uncheck();
    await profile.getByLabel('Streak', { exact: true }).uncheck();
    await field('Most valuable items named (0-10)').fill('11');
    await profile
      .getByText(/at most 10/)
      .first()
      .waitFor();
    await field('Most valuable items named (0-10)').fill('5');
    await profile.getByLabel(/Members may see each other/).uncheck();
    await b.expectAccessible('editor: profile');
    const config = await publish('profile.viewOthers');
    expect(config.profile).toEqual({
      enabled: true,
      show: { bank: true, rank: false, level: true, streak: false, inventory: true },
      highlights: 5,
      viewOthers: false,
    });
    // What the bot's /profile then does: another member's profile is refused to the one asking.
    await tenant.grant('440000000000000002', 100n, { reason: 'e2e' });
    await expect(
      tenant.profile('440000000000000002', { viewer: '440000000000000003' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await tenant.profile('440000000000000002', { viewer: '440000000000000002' })).toMatchObject({
      wallet: 100n,
      rank: null,
      streak: null,
      shown: { rank: false, streak: false },
    });
  }, 120_000);
});
