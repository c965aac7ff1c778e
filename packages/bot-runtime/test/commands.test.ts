import { ErrorCode, GuildmintError, presets, verifyRound } from '@guildmint/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeError } from '../src/errors.js';
import { formatNumber } from '../src/format.js';
import type { PackShop } from '../src/packs.js';
import { ALICE, BOB, buttons, commandHarness, interactionId, text } from './support/commands.js';

type Harness = Awaited<ReturnType<typeof commandHarness>>;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** A classic economy with room for many rounds per test. */
const roomy = {
  ...presets.classic,
  policy: { ...presets.classic.policy, rateLimit: { perMemberPerMinute: 600 } },
};

describe('faucet commands', () => {
  it('/daily pays once per interaction and then says when to come back', async () => {
    h = await commandHarness();
    const id = interactionId();
    const first = await h.run('daily', { interactionId: id });
    expect(text(first)).toMatch(/You received \*\*🪙 200\*\*/);
    expect(text(first)).toMatch(/Streak: 🔥 1 day/);
    expect(text(first)).toMatch(/Next claim: <t:\d+:R>/);
    const again = await h.run('daily', { interactionId: id });
    expect(text(again)).toMatch(/already claimed with this interaction/);
    // The SDK's replay carries the real next claim time and streak: the same as the first answer.
    const nextClaim = (reply: typeof first) => /Next claim: (<t:\d+:R>)/.exec(text(reply))?.[1];
    expect(nextClaim(again)).toBe(nextClaim(first));
    expect(text(again)).toMatch(/Streak: 🔥 1 day/);
    expect(await h.tenant.balance(ALICE)).toBe(200n);

    const error = await rejection(h.run('daily'));
    expect(error).toMatchObject({ code: ErrorCode.COOLDOWN });
    expect(await h.tenant.balance(ALICE)).toBe(200n);
  });

  it('/work pays within its range', async () => {
    h = await commandHarness();
    await h.run('work');
    const balance = await h.tenant.balance(ALICE);
    expect(balance >= 40n && balance <= 90n).toBe(true);
  });
});

describe('money commands', () => {
  it('/balance shows yours or a member’s, with the currency', async () => {
    h = await commandHarness({
      config: {
        currency: { name: 'Gems', symbol: '💎', decimals: 2 },
        faucets: { daily: { reward: { fixed: 123456 } } },
      },
    });
    await h.run('daily', { userId: BOB });
    expect(text(await h.run('balance'))).toMatch(/You have \*\*💎 0.00\*\*/);
    expect(text(await h.run('balance', { options: { member: BOB } }))).toMatch(
      /<@200000000000000002> has \*\*💎 1,234.56\*\*/,
    );
  });

  it('/pay moves money with the transfer tax, and refuses overdrafts without changing anything', async () => {
    h = await commandHarness();
    await h.run('daily');
    const reply = await h.run('pay', { options: { member: BOB, amount: 100, memo: 'lunch' } });
    expect(text(reply)).toMatch(/paid <@200000000000000002> \*\*🪙 100\*\*/);
    expect(text(reply)).toMatch(/Tax: 🪙 2/);
    expect(text(reply)).toMatch(/Memo: lunch/);
    expect(await h.tenant.balance(ALICE)).toBe(98n);
    expect(await h.tenant.balance(BOB)).toBe(100n);

    const error = await rejection(h.run('pay', { options: { member: BOB, amount: 1000 } }));
    expect(error).toMatchObject({ code: ErrorCode.INSUFFICIENT_FUNDS });
    expect(await h.tenant.balance(ALICE)).toBe(98n);
    expect(await h.tenant.balance(BOB)).toBe(100n);
    await expect(
      rejection(h.run('pay', { options: { member: BOB, amount: '1.5' } })),
    ).resolves.toBeInstanceOf(RuntimeError);
  });

  it('/shop, /buy, /inventory and /use', async () => {
    h = await commandHarness();
    await h.run('daily');
    expect(text(await h.run('shop'))).toMatch(/Snack — 🪙 50/);
    expect(text(await h.run('inventory'))).toMatch(/no items yet/);
    const bought = await h.run('buy', { options: { item: 'snack', quantity: 2 } });
    expect(text(bought)).toMatch(/2 × Snack\*\* for \*\*🪙 100\*\*/);
    expect(text(await h.run('inventory'))).toMatch(/\*\*Snack\*\* × 2/);
    const use = interactionId();
    expect(text(await h.run('use', { interactionId: use, options: { item: 'snack' } }))).toMatch(
      /You used \*\*Snack\*\*\. 1 left/,
    );
    // The same interaction again (a redelivery, maybe to another process): nothing more is used.
    expect(text(await h.run('use', { interactionId: use, options: { item: 'snack' } }))).toMatch(
      /You used \*\*Snack\*\*\. 1 left\.\n_\(already used with this interaction/,
    );
    expect(
      text(
        await h
          .run('buy', { options: { item: 'streak-freeze' } })
          .catch((e: Error) => ({ embeds: [{ title: e.message }] })),
      ),
    ).toMatch(/balance|enough|funds/i);
    expect(await h.tenant.balance(ALICE)).toBe(100n);
    expect(await h.tenant.inventory(ALICE)).toEqual([{ item: 'snack', quantity: 1 }]);
  });

  it('/shop shows what is left of a limited item', async () => {
    h = await commandHarness();
    expect(text(await h.run('shop'))).toMatch(
      /Golden trophy — 🪙 25,000: Bragging rights _\(10 of 10 left, max 1 each\)_/,
    );
    for (const member of [ALICE, BOB]) {
      await h.tenant.grant(member, 25_000n, { reason: 'test' });
      await h.run('buy', { userId: member, options: { item: 'trophy' } });
    }
    expect(text(await h.run('shop'))).toMatch(
      /Golden trophy — 🪙 25,000: Bragging rights _\(8 of 10 left, max 1 each\)_/,
    );
    expect(text(await h.run('shop'))).toMatch(/Snack — 🪙 50: Tasty, and gone when used _\(consumable\)_/);
  });

  it('/shop says when a limited item is sold out', async () => {
    h = await commandHarness({
      config: { shop: { items: { relic: { name: 'Relic', price: 10, stock: 1 } } } },
    });
    await h.tenant.grant(BOB, 10n, { reason: 'test' });
    await h.run('buy', { userId: BOB, options: { item: 'relic' } });
    expect(text(await h.run('shop'))).toMatch(/Relic — 🪙 10: _\(sold out\)_\n`\/buy item:relic`/);
  });

  it('grants the Discord roles a purchase carries', async () => {
    h = await commandHarness({
      config: {
        faucets: { daily: { reward: { fixed: 500 } } },
        shop: {
          items: {
            vip: { name: 'VIP', price: 100, effects: [{ type: 'role', roleId: '300000000000000001' }] },
          },
        },
      },
    });
    await h.run('daily');
    expect(text(await h.run('buy', { options: { item: 'vip' } }))).toMatch(
      /You now have <@&300000000000000001>/,
    );
    expect(h.roles).toEqual(['300000000000000001']);
  });

  it('refuses to sell an item whose role the bot may not give, and charges nothing', async () => {
    h = await commandHarness({
      config: {
        faucets: { daily: { reward: { fixed: 500 } } },
        shop: {
          items: {
            crown: { name: 'Crown', price: 100, effects: [{ type: 'role', roleId: '300000000000000002' }] },
          },
        },
      },
      refusedRoles: { '300000000000000002': '<@&300000000000000002> is not below my highest role' },
    });
    await h.run('daily');
    await expect(h.run('buy', { options: { item: 'crown' } })).rejects.toMatchObject({
      code: 'ROLE_NOT_GRANTABLE',
      message: expect.stringMatching(
        /Crown is not for sale right now.*not below my highest role.*Nothing was charged/,
      ),
    });
    expect(await h.tenant.balance(ALICE)).toBe(500n);
    expect(await h.tenant.inventory(ALICE)).toEqual([]);
    expect(h.roles).toEqual([]);
  });
});

describe('currency packs', () => {
  /** A pack shop as the control plane answers: gold on sale, a daily limit after one link. */
  class FakePackShop implements PackShop {
    readonly links: Array<{ guildId: string; memberId: string; pack: string }> = [];
    async list() {
      return [{ name: 'gold', unitAmount: 499, currency: 'usd', coins: '1000', perMemberPerDay: 1 }];
    }
    async checkout(i: { guildId: string; memberId: string; pack: string }) {
      if (i.pack !== 'gold')
        throw new RuntimeError('PACK_REFUSED', `no pack named ${i.pack} is on sale here`);
      if (this.links.some((l) => l.memberId === i.memberId))
        throw new RuntimeError('PACK_REFUSED', 'you can buy gold 1 time(s) a day; try again tomorrow (UTC)');
      this.links.push(i);
      return { url: 'https://checkout.example/c/pay/cs_1', expiresAt: new Date(Date.now() + 1_800_000) };
    }
  }

  it('/shop lists packs; /buy pack: answers with an ephemeral link and credits nothing itself', async () => {
    const packs = new FakePackShop();
    h = await commandHarness({ packs });
    expect(text(await h.run('shop'))).toMatch(/💳 gold — \$4\.99 for 🪙 1,?000[\s\S]*`\/buy pack:gold`/);
    const answer = await h.run('buy', { options: { pack: 'gold' } });
    expect(answer.ephemeral).toBe(true);
    expect(text(answer)).toMatch(/\(https:\/\/checkout\.example\/c\/pay\/cs_1\)/);
    expect(text(answer)).toMatch(/cannot be sold back for money/);
    expect(packs.links).toEqual([{ guildId: h.tenant.id, memberId: ALICE, pack: 'gold' }]);
    expect(await h.tenant.balance(ALICE)).toBe(0n);
    await expect(h.run('buy', { options: { pack: 'gold' } })).rejects.toThrow(/1 time\(s\) a day/);
    await expect(h.run('buy', { options: { pack: 'silver' } })).rejects.toThrow(/no pack named silver/);
    await expect(h.run('buy')).rejects.toThrow(/name an item/);
  });

  it('without a pack shop, /buy pack: says the server sells none', async () => {
    h = await commandHarness();
    await expect(h.run('buy', { options: { pack: 'gold' } })).rejects.toThrow(/sells no currency packs/);
  });
});

describe('game commands', () => {
  it('each game moves exactly what its reply says', async () => {
    h = await commandHarness({ config: { ...roomy, faucets: { daily: { reward: { fixed: 10_000 } } } } });
    await h.run('daily');
    const plays: Array<[string, Record<string, string | number>]> = [
      ['coinflip', { bet: 50, side: 'heads' }],
      ['dice', { bet: 50, target: 50, direction: 'under' }],
      ['slots', { bet: 50 }],
      ['roulette', { bet: 50, on: 'red' }],
      ['roulette', { bet: 50, on: '17' }],
    ];
    for (const [game, options] of plays) {
      const before = await h.tenant.balance(ALICE);
      const reply = await h.run(game, { options });
      const after = await h.tenant.balance(ALICE);
      const said = text(reply);
      // Amounts as members read them: a straight-up roulette win on 50 is "1,750", not "1750".
      if (after > before) expect(said).toContain(`You won **+🪙 ${formatNumber(after - before, 0)}**`);
      else if (after === before) expect(said).toMatch(/Push/);
      else expect(said).toContain(`You lost **🪙 ${formatNumber(before - after, 0)}**`);
      expect(said).toMatch(/Round \d+ · nonce \d+/);
    }
  });

  it('refuses a bet outside the limits, charging nothing', async () => {
    h = await commandHarness();
    await h.run('daily');
    const error = await rejection(h.run('coinflip', { options: { bet: 5, side: 'heads' } }));
    expect(error).toMatchObject({ code: ErrorCode.INVALID_INPUT });
    expect(await h.tenant.balance(ALICE)).toBe(200n);
  });

  it('/blackjack plays a whole round with its buttons; only the player may press them', async () => {
    h = await commandHarness({ config: { ...roomy, faucets: { daily: { reward: { fixed: 1_000 } } } } });
    await h.run('daily');
    // Deal until a hand stays open (a natural ends the round at once).
    let before = await h.tenant.balance(ALICE);
    let reply = await h.run('blackjack', { options: { bet: 100 } });
    for (let i = 0; i < 5 && buttons(reply).length === 0; i++) {
      before = await h.tenant.balance(ALICE);
      reply = await h.run('blackjack', { options: { bet: 100 } });
    }
    const ids = buttons(reply);
    expect(ids[0]).toMatch(/^bj:\d+:(hit|stand|double):200000000000000001$/);
    const stand = ids.find((id) => id.includes(':stand:'))!;
    await expect(rejection(h.press(stand, { userId: BOB }))).resolves.toMatchObject({
      code: 'NOT_YOUR_ROUND',
    });
    // A forged custom id naming bob gets past the early check; the SDK refuses bob all the same.
    const forged = stand.replace(/:\d+$/, `:${BOB}`);
    const refused = await rejection(h.press(forged, { userId: BOB }));
    expect(refused).toMatchObject({ code: 'NOT_YOUR_ROUND' });
    expect((refused as RuntimeError).cause).toMatchObject({ code: ErrorCode.FORBIDDEN });
    // So does a custom id without the player's id.
    await expect(rejection(h.press(stand.replace(/:\d+$/, ''), { userId: BOB }))).resolves.toMatchObject({
      code: 'NOT_YOUR_ROUND',
    });
    // A custom id with an action that is not one of the game's is not one of the bot's buttons.
    await expect(rejection(h.press(stand.replace(':stand:', ':split:')))).resolves.toMatchObject({
      code: 'UNKNOWN_COMMAND',
    });
    expect((await h.tenant.round(/^bj:(\d+):/.exec(stand)![1]!)).finished).toBe(false);
    reply = await h.press(stand);
    expect(buttons(reply)).toEqual([]);
    expect(reply.components).toEqual([]);
    const after = await h.tenant.balance(ALICE);
    const said = text(reply);
    if (after > before) expect(said).toContain(`You won **+🪙 ${formatNumber(after - before, 0)}**`);
    else if (after === before) expect(said).toMatch(/Push/);
    else expect(said).toContain('You lost **🪙 100**');
  });

  it('/fair shows the committed seed, rotates it, and verifies a round with the revealed seed', async () => {
    h = await commandHarness();
    await h.run('daily');
    const shown = text(await h.run('fair', { subcommand: 'show' }));
    const hash = /Server seed hash: `([0-9a-f]{64})`/.exec(shown)?.[1];
    expect(hash).toBeDefined();
    // What members really get back (classic: exact at every bet, less where the 25,000 cap bites).
    expect(shown).toContain('coinflip **98.00 %**\n');
    expect(shown).toContain('dice **98.50 %** (bets from 🪙 506 return less: no round pays over 🪙 25,000)');
    expect(shown).toContain('blackjack **99.01 %**\n');
    const round = text(await h.run('coinflip', { options: { bet: 10, side: 'tails' } }));
    const roundId = /Round (\d+)/.exec(round)![1]!;
    const rotated = text(await h.run('fair', { subcommand: 'rotate', options: { client_seed: 'mine' } }));
    const seed = /Revealed server seed: `([0-9a-f]+)`/.exec(rotated)![1]!;
    expect(rotated).toMatch(/Client seed: `mine`/);
    expect(
      text(await h.run('fair', { subcommand: 'verify', options: { round_id: roundId, server_seed: seed } })),
    ).toMatch(/✅ Verified/);
    expect(
      text(
        await h.run('fair', {
          subcommand: 'verify',
          options: { round_id: roundId, server_seed: 'ab'.repeat(32) },
        }),
      ),
    ).toMatch(/❌ Does not verify/);
    await expect(
      rejection(h.run('fair', { subcommand: 'verify', options: { round_id: '1', server_seed: seed } })),
    ).resolves.toMatchObject({
      code: 'ROUND_UNKNOWN',
    });
  });

  it('/fair verify finds rounds in the SDK, whoever played them and whenever', async () => {
    h = await commandHarness();
    await h.run('daily');
    // Played straight through the SDK (as by another process, or before a restart): no runtime memory.
    const result = await h.tenant.play('dice', ALICE, { bet: 10n, target: 50, direction: 'over' });
    const { revealedServerSeed } = await h.tenant.rotateSeed(ALICE);
    expect(verifyRound(result, revealedServerSeed)).toBe(true);
    const options = { round_id: result.roundId, server_seed: revealedServerSeed };
    expect(text(await h.run('fair', { subcommand: 'verify', options }))).toMatch(
      new RegExp(`✅ Verified\nRound ${result.roundId} \\(dice, nonce 0\\)`),
    );
    // Fairness is public: bob may check alice's round, and is told whose it is.
    expect(text(await h.run('fair', { userId: BOB, subcommand: 'verify', options }))).toMatch(
      new RegExp(`✅ Verified\nRound ${result.roundId} played by <@${ALICE}>`),
    );
  });
});

describe('member commands', () => {
  it('/streak and /leaderboard', async () => {
    h = await commandHarness();
    expect(text(await h.run('streak'))).toMatch(/Daily streak: 0 days[\s\S]*claim with `\/daily`/);
    expect(text(await h.run('leaderboard'))).toMatch(/No one has any Coins yet/);
    await h.run('daily');
    await h.run('daily', { userId: BOB });
    await h.run('pay', { userId: BOB, options: { member: ALICE, amount: 50 } });
    expect(text(await h.run('streak'))).toMatch(
      /Daily streak: 1 day[\s\S]*Next milestone: Day 7: \*\*🪙 500\*\* \(6 more claims\)/,
    );
    expect(text(await h.run('leaderboard'))).toMatch(
      /🥇 <@200000000000000001> — 🪙 250\n🥈 <@200000000000000002> — 🪙 149/,
    );
  });
});

describe('/eco (admin)', () => {
  it('is refused to members without Manage Server', async () => {
    h = await commandHarness();
    await expect(
      rejection(h.run('eco', { subcommand: 'grant', options: { member: BOB, amount: 10, reason: 'x' } })),
    ).resolves.toMatchObject({ code: 'MISSING_PERMISSIONS' });
    expect(await h.tenant.balance(BOB)).toBe(0n);
  });

  it('grants, revokes, freezes, unfreezes, rolls back and reports stats', async () => {
    h = await commandHarness();
    const admin = { isAdmin: true };
    expect(
      text(
        await h.run('eco', {
          ...admin,
          subcommand: 'grant',
          options: { member: BOB, amount: 500, reason: 'prize' },
        }),
      ),
    ).toMatch(/Granted \*\*🪙 500\*\* to <@200000000000000002>[\s\S]*Their balance: \*\*🪙 500\*\*/);
    await h.run('eco', {
      ...admin,
      subcommand: 'revoke',
      options: { member: BOB, amount: 100, reason: 'oops' },
    });
    expect(await h.tenant.balance(BOB)).toBe(400n);

    await h.run('eco', { ...admin, subcommand: 'freeze', options: { member: BOB, reason: 'review' } });
    await expect(
      rejection(h.run('pay', { userId: BOB, options: { member: ALICE, amount: 10 } })),
    ).resolves.toMatchObject({
      code: ErrorCode.ACCOUNT_FROZEN,
    });
    await h.run('eco', { ...admin, subcommand: 'unfreeze', options: { member: BOB } });
    await h.run('pay', { userId: BOB, options: { member: ALICE, amount: 100 } });
    expect(await h.tenant.balance(ALICE)).toBe(100n);

    const rolled = text(
      await h.run('eco', {
        ...admin,
        subcommand: 'rollback',
        options: { member: BOB, since: '1h', reason: 'exploit' },
      }),
    );
    expect(rolled).toMatch(/Reversed \*\*\d+\*\* transfers? of <@200000000000000002>/);
    expect(await h.tenant.balance(BOB)).toBe(0n);
    expect(await h.tenant.balance(ALICE)).toBe(0n);
    expect((await h.tenant.ledger.verify()).ok).toBe(true);

    const stats = text(await h.run('eco', { ...admin, subcommand: 'stats' }));
    expect(stats).toMatch(/Money supply: 🪙 0/);
    expect(stats).toMatch(/config v0/);
  });

  it('a retried /eco rollback asks for the same window and reverses nothing more', async () => {
    let now = new Date('2026-03-02T12:00:00Z');
    h = await commandHarness({ now: () => now });
    await h.run('daily', { userId: BOB });
    const rollback = {
      isAdmin: true,
      subcommand: 'rollback',
      interactionId: '1300000000000000777',
      createdAt: new Date('2026-03-02T12:00:00Z'),
      options: { member: BOB, since: '1h', reason: 'exploit' },
    };
    const first = text(await h.run('eco', rollback));
    now = new Date('2026-03-02T12:00:05Z'); // Discord retries a few seconds later
    expect(text(await h.run('eco', rollback))).toBe(first);
    expect((await h.tenant.auditLog()).filter((e) => e.action === 'rollback')).toHaveLength(1);
    expect(await h.tenant.balance(BOB)).toBe(0n);
  });

  it('a bad rollback window is refused before anything is reversed', async () => {
    h = await commandHarness();
    await h.run('daily', { userId: BOB });
    const error = await rejection(
      h.run('eco', {
        isAdmin: true,
        subcommand: 'rollback',
        options: { member: BOB, since: 'soon', reason: 'x' },
      }),
    );
    expect(error).toBeInstanceOf(RuntimeError);
    expect(await h.tenant.balance(BOB)).toBe(200n);
    expect(error).not.toBeInstanceOf(GuildmintError);
  });
});
