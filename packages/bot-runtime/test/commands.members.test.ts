import { ErrorCode, presets } from '@guildmint/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, commandHarness, interactionId, text } from './support/commands.js';

// The member commands without Discord: a retried interaction (same id) never moves anything twice, and a
// feature the config leaves off offers no command.

type Harness = Awaited<ReturnType<typeof commandHarness>>;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const VETERAN = { roles: [], joinedAt: new Date('2024-01-01T00:00:00Z') };
const config = {
  ...presets.classic,
  policy: { ...presets.classic.policy, rateLimit: { perMemberPerMinute: 600 } },
  robbery: { enabled: true, minChanceBps: 0, maxChanceBps: 0, fineBps: 1_000, minFine: 10 },
  roleIncome: { enabled: true, roles: [{ roleId: '42', amount: 60, period: 'week' as const }] },
};

describe('member commands, retried', () => {
  it('/deposit and /withdraw answer a retry from the first answer', async () => {
    h = await commandHarness({ config });
    await h.tenant.grant(ALICE, 500n, { reason: 'test' });
    const id = interactionId();
    expect(text(await h.run('deposit', { interactionId: id, options: { amount: 200 } }))).toMatch(
      /put \*\*🪙 200\*\*/,
    );
    expect(text(await h.run('deposit', { interactionId: id, options: { amount: 200 } }))).toMatch(
      /nothing moved twice/,
    );
    expect(await h.tenant.holdings(ALICE)).toEqual({ wallet: 300n, bank: 200n, total: 500n });
  });

  it('/rob fines a failed robber once, however often the interaction is retried', async () => {
    h = await commandHarness({ config });
    await h.tenant.grant(ALICE, 500n, { reason: 'test' });
    await h.tenant.grant(BOB, 500n, { reason: 'test' });
    const id = interactionId();
    const rob = () =>
      h!.run('rob', {
        interactionId: id,
        member: VETERAN,
        resolved: { [BOB]: VETERAN },
        options: { member: BOB },
      });
    expect(text(await rob())).toMatch(/paid a fine of \*\*🪙 50\*\*/);
    expect(text(await rob())).toMatch(/paid a fine of \*\*🪙 50\*\*/);
    expect(await h.tenant.balance(ALICE)).toBe(450n);
  });

  it('/collect pays the week once', async () => {
    h = await commandHarness({ config });
    const id = interactionId();
    const member = { roles: ['42'] };
    expect(text(await h.run('collect', { interactionId: id, member }))).toMatch(
      /You collected 🪙 60[\s\S]*\(weekly\)/,
    );
    expect(text(await h.run('collect', { interactionId: id, member }))).toMatch(/nothing paid twice/);
    await expect(h.run('collect', { member })).rejects.toMatchObject({ code: ErrorCode.COOLDOWN });
    expect(await h.tenant.balance(ALICE)).toBe(60n);
  });

  it('/gift and /sell answer a retry without moving items or coins again', async () => {
    h = await commandHarness({ config });
    await h.tenant.grant(ALICE, 500n, { reason: 'test' });
    await h.tenant.buy(ALICE, 'snack', { quantity: 4 });
    const gift = interactionId();
    const sell = interactionId();
    for (let i = 0; i < 2; i++) {
      await h.run('gift', { interactionId: gift, options: { member: BOB, item: 'snack', quantity: 1 } });
      await h.run('sell', { interactionId: sell, options: { item: 'snack', quantity: 2 } });
    }
    expect(await h.tenant.inventory(ALICE)).toEqual([{ item: 'snack', quantity: 1 }]);
    expect(await h.tenant.inventory(BOB)).toEqual([{ item: 'snack', quantity: 1 }]);
    expect(await h.tenant.balance(ALICE)).toBe(350n);
  });
});

describe('member commands, off', () => {
  it('offers no bank, robbery, income, gift or sell command where the config leaves them off', async () => {
    h = await commandHarness({
      config: {
        ...presets.classic,
        bank: { enabled: false },
        shop: { ...presets.classic.shop, gifts: false, sellBackBps: 0 },
      },
    });
    for (const name of ['deposit', 'withdraw', 'rob', 'collect', 'gift', 'sell']) {
      await expect(h.run(name)).rejects.toMatchObject({ code: 'UNKNOWN_COMMAND' });
    }
    expect(text(await h.run('balance'))).toMatch(/You have \*\*🪙 0\*\*\./);
    expect(text(await h.run('profile'))).toMatch(/Wallet: 🪙 0[\s\S]*Rank: —/);
  });

  it('/profile shows the level with levels on, and the highlights the profile section asks for', async () => {
    h = await commandHarness({
      config: {
        ...presets.cozy,
        levels: {
          ...presets.cozy.levels,
          message: { ...presets.cozy.levels.message, xp: { min: 20, max: 20 } },
        },
        profile: { ...presets.cozy.profile, highlights: 1 },
      },
    });
    await h.tenant.grant(ALICE, 10_000n, { reason: 'test' });
    await h.tenant.buy(ALICE, 'garden-plot');
    await h.tenant.buy(ALICE, 'tea', { quantity: 2 });
    await h.tenant.levels.message({ userId: ALICE, messageId: '900001', channelId: '800' });
    const shown = text(await h.run('profile'));
    const { level } = await h.tenant.levels.rank(ALICE);
    expect(shown).toContain(`Level: ${level} (20 XP)`);
    expect(shown).toMatch(/Inventory: 1 × Garden plot\n…and 1 more/);
  });
});
