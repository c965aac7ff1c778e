import { createServer } from 'node:net';
import { DiscordSimulator } from '@guildmint/discord-simulator';
import { createEconomy, ErrorCode, GuildmintError } from '@guildmint/sdk';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../src/command.js';
import { commandModules } from '../src/commands/index.js';
import { embed, reply } from '../src/replies.js';
import { createRuntime } from '../src/runtime.js';
import { dealOpenHand, type Rig, said, startRig, tempStorage, waitForEvent } from './support/harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Test-only commands: answers that take longer than the defer threshold (100 ms in these tests). */
const slow = {
  name: 'slow',
  define: () => [{ name: 'slow', description: 'Answers after 400 ms' }],
  async run() {
    await delay(400);
    return reply(embed({ title: 'Slow but sure' }));
  },
} satisfies Command;
const slowFailure = {
  name: 'slowfail',
  define: () => [{ name: 'slowfail', description: 'Fails after 400 ms' }],
  async run() {
    await delay(400);
    throw new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'the database could not be reached; try again');
  },
} satisfies Command;
const slowSecret = {
  ...slow,
  name: 'slowsecret',
  privateReply: true,
  define: () => [{ name: 'slowsecret', description: 'Private and slow' }],
} satisfies Command;

function gate() {
  let open!: () => void;
  let entered!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const inside = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const command = {
    name: 'gate',
    define: () => [{ name: 'gate', description: 'Waits for the test' }],
    async run() {
      entered();
      await opened;
      return reply(embed({ title: 'Gate passed' }));
    },
  } satisfies Command;
  return { command, open, inside };
}

describe('end to end: answering in time', () => {
  it('defers a slow answer, then edits it in; a private command defers privately', async () => {
    rig = await startRig({
      runtime: { deferAfterMs: 100, commandModules: { ...commandModules, slow, slowsecret: slowSecret } },
    });
    const answer = await rig.slash('slow');
    expect(answer).toMatchObject({ deferred: true, ephemeral: false });
    expect(answer.ackLatencyMs).toBeLessThan(1_000);
    expect(said(answer)).toBe('Slow but sure');
    const secret = await rig.slash('slowsecret');
    expect(secret).toMatchObject({ deferred: true, ephemeral: true });
    expect(said(secret)).toBe('Slow but sure');
    expect(
      await rig.runtime.metrics.registry.getSingleMetricAsString('guildmint_interactions_deferred_total'),
    ).toMatch(/guildmint_interactions_deferred_total 2$/);
  });

  it('a slow failure after a public deferral still reaches the member privately', async () => {
    rig = await startRig({
      runtime: { deferAfterMs: 100, commandModules: { ...commandModules, slowfail: slowFailure } },
    });
    const handled = waitForEvent(rig.runtime, 'interaction', (e) => e.command === 'slowfail');
    const first = await rig.slash('slowfail');
    const [event] = await handled;
    expect(event).toMatchObject({ ok: false, code: 'STORE_UNAVAILABLE', deferred: true });
    // The public "thinking…" is removed and the error arrives as an ephemeral follow-up.
    const now = rig.sim.latest(first.interactionId)!;
    expect(now.deleted).toBe(true);
    expect(now.followUps).toHaveLength(1);
    expect(now.followUps[0]).toMatchObject({ ephemeral: true });
    expect(said(now.followUps[0]!)).toMatch(
      /The bank is unreachable\nWe could not reach the database\. Check \/balance before trying again/,
    );
  });
});

describe('end to end: bad input never crashes the process', () => {
  function payload(rig: Rig, overrides: Record<string, unknown> = {}) {
    return {
      id: String(1_500_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9))),
      application_id: rig.sim.applicationId,
      type: 2,
      token: 'raw-token',
      version: 1,
      guild_id: rig.guild.id,
      channel_id: rig.guild.channelId,
      member: {
        user: { id: rig.alice, username: 'alice', discriminator: '0', avatar: null, global_name: null },
        roles: [],
        permissions: '0',
        joined_at: new Date().toISOString(),
      },
      app_permissions: '0',
      locale: 'en-US',
      entitlements: [],
      data: { id: '1', name: 'balance', type: 1 },
      ...overrides,
    };
  }
  const callbackFor = (r: Rig, id: string) =>
    r.sim.calls.find((c) => c.method === 'POST' && c.path === `/interactions/${id}/raw-token/callback`)
      ?.body as
      | { type: number; data: { flags?: number; embeds: Array<{ title: string; description: string }> } }
      | undefined;

  it('answers malformed interactions with an ephemeral "unknown command", logs them, and keeps serving', async () => {
    rig = await startRig();
    const r = rig;
    const cases: Array<[string, unknown, boolean]> = [
      ['no data', payload(r, { data: undefined }), true],
      [
        'bad permissions',
        payload(r, { member: { user: { id: r.alice, username: 'a' }, roles: [], permissions: 'all' } }),
        true,
      ],
      ['unknown type', payload(r, { type: 99 }), true],
      ['no user at all', payload(r, { member: undefined }), true],
      ['null', null, false],
      ['a string', 'garbage', false],
    ];
    for (const [label, d, answerable] of cases) {
      const rejected = waitForEvent(r.runtime, 'payloadRejected');
      r.sim.sendRaw(0, { op: 0, t: 'INTERACTION_CREATE', s: null, d });
      const [info] = await rejected;
      expect(info.event, label).toBe('INTERACTION_CREATE');
      if (answerable) {
        const id = (d as { id: string }).id;
        const logged = r.logs.find((l) => l.msg === 'gateway payload rejected' && l.interactionId === id);
        expect(logged, label).toBeDefined();
      }
    }
    // Answers go out asynchronously; the last answerable one is in by the time a normal command is answered.
    const ok = await r.slash('balance');
    expect(said(ok)).toMatch(/You have \*\*🪙 0\*\*/);
    for (const [label, d, answerable] of cases.filter(([, , a]) => a)) {
      const body = callbackFor(r, (d as { id: string }).id);
      expect(body, label).toMatchObject({
        type: 4,
        data: { flags: 64, embeds: [{ title: '⚠️ Unknown command' }] },
      });
      expect(answerable).toBe(true);
    }
  });

  it('survives a dispatch that discord.js itself throws on', async () => {
    rig = await startRig();
    const rejected = waitForEvent(rig.runtime, 'payloadRejected', (e) => e.event === 'GUILD_CREATE');
    rig.sim.sendRaw(0, { op: 0, t: 'GUILD_CREATE', s: null, d: null });
    await rejected;
    expect(said(await rig.slash('balance'))).toMatch(/You have/);
  });

  it('answers an interaction from a guild it never received, and an unknown command', async () => {
    rig = await startRig();
    const stranger = '1400000000000000000';
    const raw = payload(rig, { guild_id: stranger });
    const handled = waitForEvent(rig.runtime, 'interaction', (e) => e.interactionId === raw.id);
    rig.sim.sendRaw(0, { op: 0, t: 'INTERACTION_CREATE', s: null, d: raw });
    const [event] = await handled;
    expect(event).toMatchObject({ guildId: stranger, ok: true, command: 'balance' });
    expect(callbackFor(rig, raw.id)?.data.embeds[0]?.description).toBe('You have **🪙 0** in all.');
    expect(rig.logs.some((l) => l.interactionId === raw.id && /has not received/.test(l.msg))).toBe(true);

    const unknown = await rig.slash('teleport');
    expect(unknown.ephemeral).toBe(true);
    expect(said(unknown)).toMatch(/Unknown command\n\/teleport is not available in this server/);
  });

  it('refuses /eco to a member without Manage Server even when Discord lets the command through', async () => {
    rig = await startRig();
    // Server admins can open a command to anyone in Discord's Integrations settings; the bot checks anyway.
    const raw = payload(rig, {
      data: {
        id: '1',
        name: 'eco',
        type: 1,
        options: [
          {
            name: 'grant',
            type: 1,
            options: [
              { name: 'member', type: 6, value: rig.alice },
              { name: 'amount', type: 4, value: 1_000_000 },
              { name: 'reason', type: 3, value: 'free money' },
            ],
          },
        ],
      },
    });
    const handled = waitForEvent(rig.runtime, 'interaction', (e) => e.interactionId === raw.id);
    rig.sim.sendRaw(0, { op: 0, t: 'INTERACTION_CREATE', s: null, d: raw });
    const [event] = await handled;
    expect(event).toMatchObject({ ok: false, code: 'MISSING_PERMISSIONS' });
    expect(callbackFor(rig, raw.id)).toMatchObject({
      data: { flags: 64, embeds: [{ title: '⚠️ Not allowed' }] },
    });
    expect(await rig.balance()).toBe(0n);
  });
});

describe('end to end: outages', () => {
  it('the database unreachable: an ephemeral error, and nothing half-written', async () => {
    const storage = tempStorage();
    rig = await startRig({ storage: storage.url });
    try {
      await rig.slash('daily');
      await rig.slash('pay', { member: rig.bob, amount: 50 });
      await rig.runtime.economy.close(); // the store goes away under the running bot
      for (const [command, options] of [
        ['daily', {}],
        ['pay', { member: rig.alice, amount: 10 }],
        ['coinflip', { bet: 10, side: 'heads' }],
      ] as const) {
        const answer = await rig.slash(command, options, rig.bob);
        expect(answer.ephemeral).toBe(true);
        expect(said(answer)).toMatch(
          /The bank is unreachable\nWe could not reach the database\. Check \/balance before trying again in a minute\./,
        );
      }
      const reopened = createEconomy({ storage: storage.url });
      const tenant = reopened.tenant(rig.guild.id);
      expect(await tenant.balance(rig.alice)).toBe(149n);
      expect(await tenant.balance(rig.bob)).toBe(50n);
      expect((await tenant.ledger.verify()).ok).toBe(true);
      expect((await tenant.ledger.transfers({ limit: 100 })).items).toHaveLength(3); // daily, payment, tax
      await reopened.close();
    } finally {
      await rig.close();
      rig = undefined;
      storage.cleanup();
    }
  });

  it('Redis unreachable: commands keep working from the store', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    rig = await startRig({ runtime: { cache: `redis://127.0.0.1:${closed}` } });
    expect(said(await rig.slash('daily'))).toMatch(/🪙 200/);
    expect(said(await rig.slash('pay', { member: rig.bob, amount: 20 }))).toMatch(/Payment sent/);
    const flip = await rig.slash('coinflip', { bet: 10, side: 'heads' });
    expect(flip.ephemeral).toBe(false);
    expect((await rig.balance()) + (await rig.balance(rig.bob))).toBeGreaterThan(0n);
    expect((await rig.runtime.economy.tenant(rig.guild.id).ledger.verify()).ok).toBe(true);
  });
});

describe('end to end: operations', () => {
  it('start() fails cleanly with a token Discord refuses', async () => {
    rig = await startRig();
    const storage = tempStorage();
    const refused = createRuntime({
      token: 'not-a-valid-token',
      applicationId: rig.sim.applicationId,
      apiUrl: rig.sim.apiUrl,
      storage: storage.url,
      logger: pino({ level: 'silent' }),
    });
    try {
      await expect(refused.start()).rejects.toThrow();
      expect(refused.health().status).toBe('starting');
    } finally {
      await refused.stop();
      storage.cleanup();
    }
    expect(refused.health().status).toBe('stopped');
  });

  it('serves /metrics and /healthz, and logs each interaction with its ids', async () => {
    rig = await startRig({ runtime: { metricsPort: 0, metricsHost: '127.0.0.1' } });
    // Registering the guild's commands at start read its config, but the tenant loads with its first interaction.
    expect(rig.runtime.health().tenantsLoaded).toBe(0);
    // Discord acknowledges both replies slowly: the member sees each answer (slash() resolves) before the bot
    // hears back, and only then does it count and log the interaction.
    rig.sim.delayResponses({ method: 'POST', path: /\/callback$/, ms: 300, times: 2 });
    // So the test waits for the runtime's own word that both were handled, never for the replies alone.
    let handled = 0;
    const bothHandled = waitForEvent(rig.runtime, 'interaction', () => ++handled === 2);
    const first = await rig.slash('daily');
    await rig.slash('daily');
    await bothHandled;
    const metrics = await (await fetch(`${rig.runtime.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('guildmint_command_duration_seconds_count{command="faucet",outcome="ok"} 1');
    expect(metrics).toContain('guildmint_command_duration_seconds_count{command="faucet",outcome="error"} 1');
    expect(metrics).toContain('guildmint_money_operations_total{operation="claim",replayed="false"} 1');
    expect(metrics).toContain('guildmint_transfers_total{operation="claim"} 1');
    expect(metrics).toContain('guildmint_command_errors_total{code="COOLDOWN"} 1');
    expect(metrics).toContain('guildmint_tenants_loaded 1');
    expect(metrics).toContain('process_cpu_seconds_total');

    const health = await fetch(`${rig.runtime.metricsUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ready', shards: [0], tenantsLoaded: 1 });

    const line = rig.logs.find(
      (l) => l.msg === 'interaction answered' && l.interactionId === first.interactionId,
    );
    expect(line).toMatchObject({
      guildId: rig.guild.id,
      tenant: rig.guild.id,
      shard: 0,
      userId: rig.alice,
      command: 'daily',
      ok: true,
    });
  });

  it('needs no privileged intent, and keeps no member or user in memory but itself', async () => {
    // An application whose Server Members, Presence and Message Content switches are all off.
    const sim = await DiscordSimulator.start({ privilegedIntents: 0 });
    try {
      rig = await startRig({ simulator: sim });
      const r = rig;
      for (const member of [r.alice, r.bob, r.admin])
        expect(said(await r.slash('balance', {}, member))).toMatch(/You have/);
      expect(said(await r.slash('daily'))).toMatch(/You received/);
      const client = r.runtime.client!;
      // Guild messages and voice states feed activity income (levels): neither is privileged, and the
      // messages arrive without their content.
      expect(client.options.intents.toArray().sort()).toEqual([
        'GuildMessages',
        'GuildVoiceStates',
        'Guilds',
      ]);
      expect([...client.users.cache.keys()]).toEqual([sim.botUserId]);
      expect([...client.guilds.cache.get(r.guild.id)!.members.cache.keys()]).toEqual([sim.botUserId]);
    } finally {
      await rig?.close();
      rig = undefined;
      await sim.close();
    }
  });

  it('the periodic job stands an abandoned blackjack hand', async () => {
    let skew = 0;
    rig = await startRig({
      runtime: { sweepIntervalMs: 50, clock: { now: () => new Date(Date.now() + skew) } },
    });
    await rig.slash('daily');
    // Small bets: hands that finish at once (naturals) must not drain the 200 before the blocked deal,
    // or it would be refused for money instead of for the open round.
    await dealOpenHand(rig, 10);
    const blocked = await rig.slash('blackjack', { bet: 10 });
    expect(said(blocked)).toMatch(/Limit reached\nFinish your current round first\./);

    const swept = waitForEvent(rig.runtime, 'swept', (e) => e.settled === 1);
    skew += 121_000; // past the classic preset's 120 s timeout; nobody presses anything
    await swept;
    const next = await rig.slash('blackjack', { bet: 10 });
    expect(next.ephemeral).toBe(false);
    expect((await rig.runtime.economy.tenant(rig.guild.id).ledger.verify()).ok).toBe(true);
  });

  it('stop() leaves the gateway before draining: what arrives meanwhile goes to the next process, never "restarting"', async () => {
    const g = gate();
    rig = await startRig({
      runtime: {
        commandModules: { ...commandModules, gate: g.command },
        metricsPort: 0,
        metricsHost: '127.0.0.1',
      },
    });
    const r = rig;
    const inFlight = r.slash('gate');
    await g.inside;
    const left = r.sim.waitForGatewayEvent('close', { shard: 0, timeoutMs: 5_000 });
    const stopped = r.runtime.stop();
    expect(r.runtime.health().status).toBe('draining');
    expect((await fetch(`${r.runtime.metricsUrl}/healthz`)).status).toBe(503);
    // The session ends while the gated interaction is still in flight.
    expect(await left).toMatchObject({ detail: 1000 });
    expect(r.sim.connectedShards()).toEqual([]);

    // A member acts meanwhile (a rolling restart): the interaction waits for the process taking over.
    const daily = r.slash('daily');
    const next = createRuntime({ ...r.options, logger: pino({ level: 'silent' }) });
    try {
      await next.start();
      const answer = await daily;
      expect(answer.ephemeral).toBe(false);
      expect(said(answer)).toMatch(/You received \*\*🪙 200\*\*/);
      expect(await next.economy.tenant(r.guild.id).balance(r.alice)).toBe(200n);

      // The old process still finishes what it had, over REST, with no gateway.
      g.open();
      expect(said(await inFlight)).toBe('Gate passed');
      await stopped;
      expect(r.runtime.health().status).toBe('stopped');
      expect(r.logs.some((l) => l.interactionId === answer.interactionId)).toBe(false);
      await expect(r.runtime.economy.tenant(r.guild.id).balance(r.alice)).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
    } finally {
      await next.stop();
    }
  });

  it('an unexpected failure after money moved never claims that nothing was charged', async () => {
    const crash = {
      name: 'crash',
      define: () => [{ name: 'crash', description: 'Claims, then fails' }],
      async run(ctx) {
        ctx.counted('claim', await ctx.tenant.claim('daily', ctx.userId, { key: ctx.interactionId }));
        throw new TypeError('rendering failed');
      },
    } satisfies Command;
    rig = await startRig({ runtime: { commandModules: { ...commandModules, crash } } });
    const answer = await rig.slash('crash');
    expect(answer.ephemeral).toBe(true);
    expect(said(answer)).not.toMatch(/nothing was (charged|done)/i);
    expect(said(answer)).toMatch(
      /Something went wrong on our side\n[\s\S]*Check `\/balance` before trying again/,
    );
    expect(await rig.balance()).toBe(200n);
  });
});
