import { DiscordSimulator } from '@guildmint/discord-simulator';
import { createEconomy, defineEconomy, type Economy, presets, type Tenant } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempStorage } from './support/harness.js';
import { type BotProcess, spawnBot } from './support/process.js';

// Voice minutes across real process restarts (issue 14 §1): the bot is killed with SIGKILL twice while
// members sit in voice, and each new process runs "minutes later" (its clock shifted by a preload, so the
// test need not wait minutes). One libSQL file, one simulator that keeps who is in voice for GUILD_CREATE.

const MIN = 60_000;
const VOICE = '990000000000000007';
const SHIFTED_CLOCK = new URL('./support/shifted-clock.mjs', import.meta.url).href;

describe('end to end: voice minutes survive a restart, even a kill -9', () => {
  let sim: DiscordSimulator;
  let economy: Economy;
  let tenant: Tenant;
  let guildId: string;
  const storage = tempStorage();
  const bots: BotProcess[] = [];
  let common: Record<string, string>;

  const start = async (shiftMs: number, ready: (line: Record<string, unknown>) => boolean) => {
    const bot = spawnBot({
      ...common,
      NODE_OPTIONS: `--import=${SHIFTED_CLOCK}`,
      TEST_CLOCK_SHIFT_MS: String(shiftMs),
    });
    bots.push(bot);
    await bot.waitForLog(ready, 60_000);
    return bot;
  };
  const kill = async (bot: BotProcess) => {
    bot.child.kill('SIGKILL');
    await bot.exited;
  };
  const resumed = (o: { resumed: number; inVoice: number; paid: number }) => (l: Record<string, unknown>) =>
    l.msg === 'voice sessions resumed' &&
    l.resumed === o.resumed &&
    l.inVoice === o.inVoice &&
    l.paid === o.paid;
  /** Whole minutes paid to a member (1 coin a minute), from the ledger. */
  const minutesPaid = async (userId: string) => Number(await tenant.balance(userId));

  beforeAll(async () => {
    sim = await DiscordSimulator.start();
    guildId = sim.addGuild({ name: 'Voice' }).id;
    common = {
      DISCORD_TOKEN: sim.botToken,
      DISCORD_APPLICATION_ID: sim.applicationId,
      DISCORD_API_URL: sim.apiUrl,
      DATABASE_URL: storage.url,
      METRICS_PORT: 'off',
      LOG_LEVEL: 'debug',
    };
    economy = createEconomy({ storage: storage.url });
    await economy.migrate();
    tenant = economy.tenant(guildId);
    await tenant.configure(
      defineEconomy({
        ...presets.classic,
        levels: {
          enabled: true,
          voice: { coinsPerMinute: 1, xpPerMinute: 1 },
          dailyCoinCap: null,
        },
      }),
    );
  });
  afterAll(async () => {
    for (const bot of bots) if (bot.child.exitCode === null && bot.child.signalCode === null) await kill(bot);
    await economy?.close();
    await sim?.close();
    storage.cleanup();
  });

  it('pays a member still in voice through the downtime, once; one who left meanwhile only up to the last save', async () => {
    const [bob, carl, dan] = ['bob', 'carl', 'dan'].map(
      (username) => sim.addMember(guildId, { username }).userId,
    ) as [string, string, string];

    // Process A (real time): bob, carl and dan join voice together; A saves their sessions, then dies.
    const a = await start(0, (l) => l.msg === 'ready');
    const joined = Date.now();
    for (const userId of [bob, carl, dan]) sim.setVoiceState({ guildId, userId, channelId: VOICE });
    await a.waitForLog((l) => l.msg === 'voice sessions saved' && l.inVoice === 3);
    await kill(a);

    // Process B, 4 minutes on: all three are still in voice; B resumes (and saves) them, then dies too.
    const b = await start(4 * MIN, resumed({ resumed: 3, inVoice: 3, paid: 0 }));
    const seenByB = Date.now() - joined;
    await kill(b);

    // Dan leaves while no bot runs. Process C, 9 minutes on: bob and carl still there, Dan gone.
    sim.setVoiceState({ guildId, userId: dan, channelId: null });
    const c = await start(9 * MIN, resumed({ resumed: 3, inVoice: 2, paid: 1 }));
    // Dan is paid up to B's save (4 minutes and the seconds B took to start), never up to C's restart.
    await vi.waitFor(async () => expect(await minutesPaid(dan)).toBeGreaterThan(0), { timeout: 15_000 });
    expect(await minutesPaid(dan)).toBeGreaterThanOrEqual(4);
    expect(await minutesPaid(dan)).toBeLessThanOrEqual(4 + Math.floor(seenByB / MIN));

    // Bob leaves under C: one period from A's join to now, the two downtimes included.
    sim.setVoiceState({ guildId, userId: bob, channelId: null });
    await vi.waitFor(async () => expect(await minutesPaid(bob)).toBeGreaterThan(0), { timeout: 15_000 });
    const bobPaid = await minutesPaid(bob);
    expect(bobPaid).toBeGreaterThanOrEqual(9);
    expect(bobPaid).toBeLessThanOrEqual(9 + Math.floor((Date.now() - joined) / MIN));
    await kill(c);

    // Process D: Bob's and Dan's periods are still saved as due and are paid again: replays, nothing moves
    // twice.
    const danPaid = await minutesPaid(dan);
    const d = await start(9 * MIN, resumed({ resumed: 3, inVoice: 1, paid: 0 }));
    expect(await d.stop()).toBe(0); // a graceful stop waits for the rewards in flight
    expect(await minutesPaid(bob)).toBe(bobPaid);
    expect(await minutesPaid(dan)).toBe(danPaid);
    const paidToBob = (await tenant.ledger.transfers({ account: `user:${bob}` })).items;
    expect(paidToBob.map((t) => t.code)).toEqual(['faucet.activity']);
    // Carl, still in voice, is in the same period A opened, across three restarts.
    const sessions = await tenant.levels.voiceSessions();
    const carlSession = sessions.find((s) => s.userId === carl)?.session;
    expect(carlSession?.presence?.channelId).toBe(VOICE);
    expect(carlSession?.presence?.periodStart).toBeGreaterThanOrEqual(joined);
    expect(carlSession?.presence?.periodStart).toBeLessThan(joined + MIN);
    expect(await minutesPaid(carl)).toBe(0);
    expect((await tenant.ledger.verify()).ok).toBe(true);
  }, 180_000);
});
