import { defineEconomy, presets, type Tenant } from '@guildmint/sdk';
import { Events } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, said, startRig, waitForEvent } from './support/harness.js';

// Activity income, levels and the lottery (issue 14 §1, §6) through the runtime's real discord.js client:
// the simulator sends MESSAGE_CREATE and VOICE_STATE_UPDATE as Discord does; the clock is the test's.

const clock = { at: Date.parse('2026-03-02T10:00:00Z'), now: () => new Date(clock.at) };
const VOICE = '990000000000000001';

describe('end to end: activity income, levels and the lottery', () => {
  let rig: Rig;
  let tenant: Tenant;
  let levelRole: string;
  let channel: string;

  const activityOf = (userId: string) =>
    waitForEvent(rig.runtime, 'activity', ({ result }) => result.userId === userId);

  beforeAll(async () => {
    rig = await startRig({ runtime: { clock, sweepIntervalMs: 50 } });
    levelRole = rig.sim.addRole(rig.guild.id, { name: 'Level 1' });
    channel = rig.guild.channelId;
    tenant = rig.runtime.economy.tenant(rig.guild.id);
    const synced = waitForEvent(
      rig.runtime,
      'commandsSynced',
      (r) => r.guildId === rig.guild.id && r.version === 1,
    );
    await tenant.configure(
      defineEconomy({
        ...presets.classic,
        levels: {
          enabled: true,
          message: { coins: { min: 10, max: 10 }, xp: { min: 100, max: 100 }, windowSeconds: 60 },
          voice: { coinsPerMinute: 3, xpPerMinute: 10 },
          roleRewards: [{ level: 1, roleId: levelRole }],
        },
        trades: { enabled: true },
        lottery: {
          enabled: true,
          ticketPrice: 50,
          drawHour: 20,
          houseCutBps: 1_000,
          announceChannelId: channel,
        },
      }),
    );
    await synced;
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('registers /rank, /levels and /lottery, and asks for no privileged intent', () => {
    const names = rig.sim.commands(rig.guild.id).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['rank', 'levels', 'lottery', 'fair']));
    // Guilds | GuildMessages | GuildVoiceStates; MessageContent (1 << 15) is privileged and never asked for.
    expect(rig.runtime.client!.options.intents.has(1 << 15)).toBe(false);
  });

  it('pays a message once per window, levels up with the role reward and announces it', async () => {
    const first = activityOf(rig.alice);
    rig.sim.memberMessage(rig.guild.id, rig.alice);
    const [{ result }] = await first;
    expect(result).toMatchObject({ rewarded: true, coins: 10n, level: 1, roleRewards: [levelRole] });
    expect(await tenant.balance(rig.alice)).toBe(10n);
    expect(rig.sim.member(rig.guild.id, rig.alice)?.roles).toContain(levelRole);
    expect(rig.sim.messages(channel).map((m) => m.content)).toContain(
      `🎉 <@${rig.alice}> reached **level 1**! You earned <@&${levelRole}>.`,
    );
    const second = activityOf(rig.alice);
    rig.sim.memberMessage(rig.guild.id, rig.alice);
    expect((await second)[0].result).toMatchObject({ rewarded: false, reason: 'window' });
    expect(await tenant.balance(rig.alice)).toBe(10n);
    expect(said(await rig.slash('rank'))).toMatch(/Level 1[\s\S]*#1 on this server/);
    expect(said(await rig.slash('levels'))).toMatch(new RegExp(`🥇 <@${rig.alice}> — level 1 \\(100 XP\\)`));
  });

  it('pays voice minutes spent with company and not deafened', async () => {
    // Resolves once the runtime has read the state: discord.js emits it right after the activity hook.
    const voice = (userId: string, channelId: string | null, selfDeaf = false) => {
      const seen = new Promise<void>((resolve) => {
        const listener = (_old: unknown, next: { id: string; selfDeaf: boolean | null }) => {
          if (next.id !== userId || next.selfDeaf !== selfDeaf) return;
          rig.runtime.client!.off(Events.VoiceStateUpdate, listener);
          resolve();
        };
        rig.runtime.client!.on(Events.VoiceStateUpdate, listener);
      });
      rig.sim.setVoiceState({ guildId: rig.guild.id, userId, channelId, selfDeaf });
      return seen;
    };
    await voice(rig.bob, VOICE);
    await voice(rig.admin, VOICE, true);
    // 4 minutes beside a deafened member earn nothing; then 5 minutes together.
    clock.at += 4 * 60_000;
    await voice(rig.admin, VOICE, false);
    clock.at += 5 * 60_000;
    const paid = activityOf(rig.bob);
    await voice(rig.bob, null);
    expect((await paid)[0].result).toMatchObject({ rewarded: true, coins: 15n, xp: 50 });
  });

  it('/lottery sells tickets, the sweep draws at the set time once, and /lottery verify and /fair check it', async () => {
    await tenant.grant(rig.bob, 500n, { reason: 'e2e funds' });
    expect(said(await rig.slash('lottery', { tickets: 2 }, rig.bob, { subcommand: 'buy' }))).toMatch(
      /2 tickets bought[\s\S]*You paid \*\*🪙 100\*\*/,
    );
    const status = said(await rig.slash('lottery', {}, rig.bob, { subcommand: 'status' }));
    expect(status).toMatch(/Pot[\s\S]*🪙 100/);
    const drawn = waitForEvent(rig.runtime, 'lotteryDrawn', ({ guildId }) => guildId === rig.guild.id);
    clock.at = Date.parse('2026-03-02T20:00:01Z');
    const [{ draw }] = await drawn;
    expect(draw).toMatchObject({ winnerId: rig.bob, prize: 90n, houseCut: 10n, replayed: false });
    const verified = said(
      await rig.slash('lottery', { round: draw.round }, rig.alice, { subcommand: 'verify' }),
    );
    expect(verified).toMatch(/✅ Round \d+ checks out/);
    // /fair checks the draw with the same proof, and says what was committed, revealed and why Bob won.
    const fair = await rig.slash('fair', { round: draw.round }, rig.alice, { subcommand: 'lottery' });
    expect(fair.ephemeral).toBe(true);
    const proof = draw.proof!;
    expect(said(fair)).toContain(`✅ Round ${draw.round} checks out`);
    expect(said(fair)).toContain(
      `Committed before the first ticket (SHA-256 of the server seed): \`${proof.serverSeedHash}\``,
    );
    expect(said(fair)).toContain(
      `Revealed at the draw (server seed): \`${proof.serverSeed}\`\nIts SHA-256 is the committed hash.`,
    );
    expect(said(fair)).toContain(`Tickets, by member id: <@${rig.bob}>: tickets #0–#1`);
    expect(said(fair)).toContain(`Client seed (SHA-256 of that ticket list): \`${proof.clientSeed}\``);
    expect(said(fair)).toContain(
      `draws ticket #${draw.winningTicket} of 2, which is in <@${rig.bob}>'s tickets #0–#1.`,
    );
    // A round never drawn is refused, ephemerally, and changes nothing.
    const unknown = await rig.slash('fair', { round: draw.round + 5 }, rig.alice, { subcommand: 'lottery' });
    expect(unknown.ephemeral).toBe(true);
    expect(said(unknown)).toMatch(/has not been drawn/);
    expect(rig.sim.messages(channel).some((m) => m.content.includes(`<@${rig.bob}> wins **🪙 90**`))).toBe(
      true,
    );
  });

  it('the periodic sweep calls off a trade whose asked member left the server, returning the escrow', async () => {
    const tom = rig.sim.addMember(rig.guild.id, { username: 'tom' }).userId;
    await tenant.grant(rig.admin, 300n, { reason: 'e2e funds' });
    const offer = await rig.slash('trade', { member: tom, give: 200 }, rig.admin);
    expect(said(offer)).toMatch(/Trade offer/);
    expect(await tenant.balance(rig.admin)).toBe(100n);
    const abandoned = waitForEvent(rig.runtime, 'tradesAbandoned', ({ userId }) => userId === tom);
    rig.sim.removeMember(rig.guild.id, tom);
    expect((await abandoned)[0]).toMatchObject({ guildId: rig.guild.id, count: 1 });
    expect(await tenant.balance(rig.admin)).toBe(300n);
    expect(await tenant.openTrades()).toEqual([]);
  });
});
