import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAmount } from '../src/format.js';
import { customIds, dealOpenHand, type Rig, said, startRig } from './support/harness.js';

// Every command, answered by the runtime's real discord.js client through the Discord simulator.

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('end to end: every command through discord.js and the simulator', () => {
  it('registers the classic preset’s commands for the guild', () => {
    expect(
      rig.sim
        .commands(rig.guild.id)
        .map((c) => c.name)
        .sort(),
    ).toEqual(
      [
        'balance',
        'blackjack',
        'buy',
        'coinflip',
        'daily',
        'deposit',
        'dice',
        'eco',
        'fair',
        'gift',
        'inventory',
        'leaderboard',
        'pay',
        'profile',
        'roulette',
        'sell',
        'shop',
        'slots',
        'streak',
        'use',
        'withdraw',
        'work',
      ].sort(),
    );
    const eco = rig.sim.commands(rig.guild.id).find((c) => c.name === 'eco');
    expect(eco?.default_member_permissions).toBe('32');
  });

  it('/daily, /work, /balance, then /daily again says when', async () => {
    const daily = await rig.slash('daily');
    expect(daily.ephemeral).toBe(false);
    expect(said(daily)).toMatch(/You received \*\*🪙 200\*\*/);
    await rig.slash('work');
    const balance = await rig.balance();
    expect(balance >= 240n && balance <= 290n).toBe(true);
    expect(said(await rig.slash('balance'))).toContain(`You have **🪙 ${balance}**`);
    expect(said(await rig.slash('balance', { member: rig.bob }))).toContain(`<@${rig.bob}> has **🪙 0**`);

    const again = await rig.slash('daily');
    expect(again.ephemeral).toBe(true);
    expect(said(again)).toMatch(/Not yet\nYou can do this again <t:\d+:R>\./);
    expect(await rig.balance()).toBe(balance);
  });

  it('/pay with memo and tax; an overdraft is an ephemeral error that changes nothing', async () => {
    const before = await rig.balance();
    const paid = await rig.slash('pay', { member: rig.bob, amount: 100, memo: 'thanks' });
    expect(said(paid)).toMatch(/paid <@\d+> \*\*🪙 100\*\*[\s\S]*Tax: 🪙 2[\s\S]*Memo: thanks/);
    expect(await rig.balance()).toBe(before - 102n);
    expect(await rig.balance(rig.bob)).toBe(100n);

    const refused = await rig.slash('pay', { member: rig.alice, amount: 5_000 }, rig.bob);
    expect(refused.ephemeral).toBe(true);
    expect(said(refused)).toMatch(/Not enough money/);
    expect(await rig.balance(rig.bob)).toBe(100n);
  });

  it('/shop, /buy, /inventory, /use', async () => {
    const shop = said(await rig.slash('shop'));
    expect(shop).toMatch(/Golden trophy — 🪙 25,000: Bragging rights _\(10 of 10 left, max 1 each\)_/);
    expect(shop).toMatch(/Snack — 🪙 50: Tasty, and gone when used _\(consumable\)_\n`\/buy item:snack`/);
    expect(said(await rig.slash('buy', { item: 'snack', quantity: 1 }, rig.bob))).toMatch(
      /1 × Snack\*\* for \*\*🪙 50\*\*/,
    );
    expect(said(await rig.slash('inventory', {}, rig.bob))).toMatch(/\*\*Snack\*\* × 1/);
    expect(said(await rig.slash('use', { item: 'snack' }, rig.bob))).toMatch(
      /You used \*\*Snack\*\*\. That was the last one\./,
    );
    const empty = await rig.slash('use', { item: 'snack' }, rig.bob);
    expect(empty.ephemeral).toBe(true);
    expect(said(empty)).toMatch(/no "Snack" left/);
    expect(await rig.balance(rig.bob)).toBe(50n);
  });

  it('/coinflip, /dice, /slots, /roulette: the reply matches the ledger', async () => {
    for (const [command, options] of [
      ['coinflip', { bet: 10, side: 'heads' }],
      ['dice', { bet: 10, target: 50, direction: 'over' }],
      ['slots', { bet: 10 }],
      ['roulette', { bet: 10, on: 'black' }],
    ] as const) {
      const before = await rig.balance();
      const reply = await rig.slash(command, options);
      const after = await rig.balance();
      expect(reply.ephemeral).toBe(false);
      const text = said(reply);
      if (after > before) expect(text).toContain(`You won **+🪙 ${after - before}**`);
      else if (after < before) expect(text).toContain(`You lost **🪙 ${before - after}**`);
      else expect(text).toMatch(/Push/);
    }
  });

  it('/blackjack: a whole round with the buttons', async () => {
    // Deal until a hand stays open (a natural ends the round at once, with no buttons to press).
    let before = await rig.balance();
    let reply = await rig.slash('blackjack', { bet: 20 });
    for (let i = 0; i < 5 && customIds(reply).length === 0; i++) {
      before = await rig.balance();
      reply = await rig.slash('blackjack', { bet: 20 });
    }
    const roundId = reply.interactionId;
    let presses = 0;
    while (customIds(reply).length > 0) {
      const ids = customIds(reply);
      expect(ids.every((id) => new RegExp(`^bj:${roundId}:(hit|stand|double):${rig.alice}$`).test(id))).toBe(
        true,
      );
      // Hit once, then stand: exercises both buttons whenever the hand allows.
      const next =
        ids.find((id) => id.includes(presses === 0 ? ':hit:' : ':stand:')) ??
        ids.find((id) => id.includes(':stand:'))!;
      const message = reply;
      reply = await rig.sim.click({ guildId: rig.guild.id, userId: rig.alice, message, customId: next });
      expect(reply.messageId).toBe(message.messageId);
      expect(reply.type).toBe(7);
      presses++;
    }
    expect(presses).toBeGreaterThan(0);
    const after = await rig.balance();
    const text = said(reply);
    expect(text).toMatch(/🃏 Blackjack/);
    if (after > before) expect(text).toContain(`You won **+🪙 ${after - before}**`);
    else if (after < before) expect(text).toContain(`You lost **🪙 ${before - after}**`);
    else expect(text).toMatch(/Push/);
    expect((await rig.runtime.economy.tenant(rig.guild.id).ledger.verify()).ok).toBe(true);
  });

  it('another member cannot press your blackjack buttons', async () => {
    const reply = await dealOpenHand(rig, 10);
    const stand = customIds(reply).find((id) => id.includes(':stand:'))!;
    const stolen = await rig.sim.click({
      guildId: rig.guild.id,
      userId: rig.bob,
      message: reply,
      customId: stand,
    });
    expect(stolen.ephemeral).toBe(true);
    expect(said(stolen)).toMatch(/belongs to someone else/);
    const finished = await rig.sim.click({
      guildId: rig.guild.id,
      userId: rig.alice,
      message: reply,
      customId: stand,
    });
    expect(customIds(finished)).toEqual([]);
  });

  it('/streak and /leaderboard', async () => {
    expect(said(await rig.slash('streak'))).toMatch(/Daily streak: 1 day[\s\S]*Today: ✅ counted/);
    const top = said(await rig.slash('leaderboard'));
    const [first, second] = await rig.runtime.economy.tenant(rig.guild.id).leaderboard({ limit: 2 });
    expect(top).toContain(`🥇 <@${first!.userId}> — 🪙 ${first!.balance.toLocaleString('en-US')}`);
    expect(top).toContain(`🥈 <@${second!.userId}> — 🪙 ${second!.balance.toLocaleString('en-US')}`);
  });

  it('records the names members interact with, so the control plane shows people', async () => {
    await rig.slash('balance', {}, rig.bob);
    const { members } = await rig.runtime.economy.tenant(rig.guild.id).members({ search: 'bob' });
    expect(members.map((m) => [m.userId, m.name])).toEqual([[rig.bob, 'bob']]);
  });

  it('/fair show, rotate, verify (ephemeral)', async () => {
    const shown = await rig.slash('fair', {}, rig.alice, { subcommand: 'show' });
    expect(shown.ephemeral).toBe(true);
    const round = await rig.slash('coinflip', { bet: 10, side: 'tails' });
    const roundId = round.interactionId;
    expect(said(round)).toContain(`Round ${roundId}`);
    const rotated = await rig.slash('fair', { client_seed: 'e2e' }, rig.alice, { subcommand: 'rotate' });
    const seed = /Revealed server seed: `([0-9a-f]+)`/.exec(said(rotated))?.[1];
    expect(seed).toBeDefined();
    const verified = await rig.slash('fair', { round_id: roundId, server_seed: seed! }, rig.alice, {
      subcommand: 'verify',
    });
    expect(said(verified)).toMatch(/✅ Verified/);
  });

  it('/eco grant, revoke, freeze, unfreeze, stats, and rollback', async () => {
    const as = rig.admin;
    const grant = await rig.slash('eco', { member: rig.bob, amount: 1_000, reason: 'event prize' }, as, {
      subcommand: 'grant',
    });
    expect(grant.ephemeral).toBe(true);
    expect(said(grant)).toMatch(/Granted \*\*🪙 1,000\*\*/);
    const bob = await rig.balance(rig.bob);
    await rig.slash('eco', { member: rig.bob, amount: 100, reason: 'correction' }, as, {
      subcommand: 'revoke',
    });
    expect(await rig.balance(rig.bob)).toBe(bob - 100n);

    await rig.slash('eco', { member: rig.bob, reason: 'review' }, as, { subcommand: 'freeze' });
    const frozen = await rig.slash('coinflip', { bet: 10, side: 'heads' }, rig.bob);
    expect(said(frozen)).toMatch(/Wallet frozen/);
    await rig.slash('eco', { member: rig.bob }, as, { subcommand: 'unfreeze' });

    const stats = await rig.slash('eco', {}, as, { subcommand: 'stats' });
    expect(said(stats)).toMatch(/Money supply: 🪙 [\d,]+[\s\S]*Members: \d+/);

    // An exploit is found: everything bob did in the last hour is undone.
    const rolled = await rig.slash('eco', { member: rig.bob, since: '1h', reason: 'exploit' }, as, {
      subcommand: 'rollback',
    });
    expect(said(rolled)).toMatch(/Reversed \*\*\d+\*\* transfers? of <@\d+>/);
    // Income and grants are undone; purchases are kept (the SDK's rule), so bob owes what he bought.
    const tenant = rig.runtime.economy.tenant(rig.guild.id);
    const bought = (await tenant.ledger.transfers({ account: `user:${rig.bob}`, limit: 100 })).items
      .filter((t) => t.code === 'sink.shop')
      .reduce((sum, t) => sum + t.amount, 0n);
    expect(bought).toBe(50n);
    expect(await rig.balance(rig.bob)).toBe(-bought);
    expect(said(rolled)).toContain(
      `Their balance: **${formatAmount(-bought, { symbol: '🪙', name: 'Coins', decimals: 0 })}**`,
    );
    expect((await rig.runtime.economy.tenant(rig.guild.id).ledger.verify()).ok).toBe(true);
    const audit = await rig.runtime.economy.tenant(rig.guild.id).auditLog();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['grant', 'revoke', 'freeze', 'unfreeze', 'rollback']),
    );
    expect(audit.every((a) => a.actor === rig.admin)).toBe(true);
  });
});
