/**
 * The bot process of the runtime benchmark: the real runtime (`createRuntime`) on its own economy, driven
 * over IPC by `runtime.bench.ts`. A process of its own, as in production, so its CPU and memory are its own
 * and the simulator (Discord) does not share its event loop. Run with `--expose-gc` for memory readings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';
import { createEconomy, type Economy, type Tenant } from '@guildmint/sdk';
import { openWebhookOutbox } from '@guildmint/sdk/webhooks';
import { createRuntime, type Runtime } from '../src/runtime.js';
import type {
  Envelope,
  InitRequest,
  MemoryReport,
  ProfileNode,
  Reply,
  Request,
  RuntimeStats,
} from './protocol.js';

let economy: Economy | undefined;
let runtime: Runtime | undefined;
let synced = 0;
let stats: RuntimeStats = { answered: {}, codes: {}, queries: {}, sdk: {} };
let timeSdk = false;
let profiler: Session | undefined;

/**
 * On PostgreSQL, every statement the SDK sends is counted (by prepared-statement name, or its first words):
 * round trips per interaction are what a busy database server makes expensive.
 */
async function countQueries(): Promise<void> {
  const pg = (await import('pg')).default;
  const query = pg.Client.prototype.query as (this: unknown, ...args: unknown[]) => unknown;
  const keys = new Map<string, string>(); // the SDK's statements are a fixed set: shorten each once
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as string | { name?: string; text?: string } | undefined;
    const text = typeof config === 'string' ? config : (config?.name ?? config?.text ?? '?');
    let key = keys.get(text);
    if (key === undefined) {
      key = text.replace(/\s+/g, ' ').trim().slice(0, 72);
      keys.set(text, key);
    }
    stats.queries[key] = (stats.queries[key] ?? 0) + 1;
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/**
 * The economy the runtime gets: the real one, whose tenant handles are wrapped (once `time-sdk` is on) to time
 * every SDK call, so a cell can tell the SDK's share of an interaction from discord.js's and the reply's.
 */
function timedEconomy(inner: Economy): Economy {
  const timed = new Map<string, Tenant>();
  return {
    migrate: () => inner.migrate(),
    onConfigChange: (listener) => inner.onConfigChange(listener),
    close: () => inner.close(),
    tenant(id: string): Tenant {
      if (!timeSdk) return inner.tenant(id);
      let tenant = timed.get(id);
      if (!tenant) {
        tenant = timeCalls(inner.tenant(id));
        timed.set(id, tenant);
      }
      return tenant;
    },
  };
}

function timeCalls(real: Tenant): Tenant {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(real)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    wrapped[name] = (...args: unknown[]) => {
      const started = performance.now();
      const result = (value as (...a: unknown[]) => unknown)(...args);
      if (!(result instanceof Promise)) return result;
      return result.finally(() => {
        const list = stats.sdk[name] ?? [];
        stats.sdk[name] = list;
        list.push(Math.round((performance.now() - started) * 100) / 100);
      });
    };
  }
  return wrapped as unknown as Tenant;
}

async function init(
  o: InitRequest,
): Promise<{ preparedMs: number; startedMs: number; memory: MemoryReport }> {
  const started = performance.now();
  if (/^postgres(ql)?:/.test(o.storage)) await countQueries();
  // Opened as the runtime opens it: a file economy's writer on its own thread unless the bot is told otherwise.
  const writerThread = process.env.GUILDMINT_ECONOMY_WRITER_THREAD !== '0';
  economy = createEconomy({
    storage: o.storage,
    writerThread,
    ...(o.cache !== undefined && { cache: o.cache }),
  });
  await economy.migrate();
  if (!o.prepare.recordEvents) {
    const outbox = openWebhookOutbox(o.storage);
    for (const guild of o.prepare.guilds) await outbox.recordEvents(guild.id, false);
    await outbox.close();
  }
  const funding = BigInt(o.prepare.funding);
  // Publish and fund before the runtime starts: no config-change traffic during the measurements.
  const grants: Array<{ guild: string; member: string }> = [];
  for (const guild of o.prepare.guilds) {
    await economy.tenant(guild.id).configure(o.prepare.config as never, { actor: 'bench' });
    for (const member of guild.members) grants.push({ guild: guild.id, member });
  }
  let next = 0;
  const e = economy;
  const worker = async () => {
    while (next < grants.length) {
      const { guild, member } = grants[next++]!;
      await e.tenant(guild).grant(member, funding, { reason: 'benchmark funding', actor: 'bench' });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  const preparedMs = performance.now() - started;

  runtime = createRuntime({
    token: o.token,
    applicationId: o.applicationId,
    apiUrl: o.apiUrl,
    economy: timedEconomy(economy),
    logLevel: o.logLevel as never,
    metricsPort: 'off',
  });
  runtime.events.on('commandsSynced', () => synced++);
  runtime.events.on('interaction', (event) => {
    const entry = stats.answered[event.command] ?? { ok: 0, failed: 0, deferred: 0, ms: [] };
    stats.answered[event.command] = entry;
    if (event.ok) entry.ok++;
    else entry.failed++;
    if (event.deferred) entry.deferred++;
    entry.ms.push(Math.round(event.ms * 100) / 100);
    if (event.code) stats.codes[event.code] = (stats.codes[event.code] ?? 0) + 1;
  });
  await runtime.start();
  await runtime.commandsSynced();
  const startedMs = performance.now() - started - preparedMs;
  return { preparedMs, startedMs, memory: await memory() };
}

/** Memory after full collections with pauses between them, so freed pages can go back to the system. */
async function memory(): Promise<MemoryReport> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; gc && i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    tenantsLoaded: runtime?.health().tenantsLoaded ?? 0,
    guildsCached: runtime?.client?.guilds.cache.size ?? 0,
    usersCached: runtime?.client?.users.cache.size ?? 0,
    membersCached: runtime?.client?.guilds.cache.reduce((n, guild) => n + guild.members.cache.size, 0) ?? 0,
  };
}

async function verify(guilds: string[]): Promise<{ ok: number; broken: string[] }> {
  let ok = 0;
  const broken: string[] = [];
  for (const guild of guilds) {
    const result = await economy!.tenant(guild).ledger.verify();
    if (result.ok) ok++;
    else broken.push(`${guild}: ${result.problems.slice(0, 3).join('; ')}`);
  }
  return { ok, broken };
}

async function profileStop(saveTo: string | undefined): Promise<ProfileNode[]> {
  if (!profiler) return [];
  const { profile } = await profiler.post('Profiler.stop');
  if (saveTo !== undefined) {
    mkdirSync(dirname(saveTo), { recursive: true });
    writeFileSync(saveTo, JSON.stringify(profile));
  }
  profiler.disconnect();
  profiler = undefined;
  // Self time per node from the samples and their time deltas (µs).
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const next = deltas[i + 1] ?? 0;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + next);
  }
  // Native frames (no URL) are attributed to their nearest JavaScript caller, to say who called them.
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const callerOf = (id: number): string | undefined => {
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.url !== '')
        return `${frame.functionName || '(anonymous)'} ${frame.url}:${frame.lineNumber + 1}`;
    }
    return undefined;
  };
  const byFunction = new Map<string, ProfileNode>();
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    const { url, functionName, lineNumber } = node.callFrame;
    const caller = url === '' ? callerOf(node.id) : undefined;
    const key = `${url}:${functionName}:${lineNumber}:${caller ?? ''}`;
    const entry = byFunction.get(key) ?? {
      url,
      functionName: functionName || '(anonymous)',
      line: lineNumber,
      selfMs: 0,
      ...(caller !== undefined && { caller }),
    };
    entry.selfMs += us / 1000;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs);
}

async function handle(request: Request): Promise<unknown> {
  switch (request.type) {
    case 'init':
      return init(request);
    case 'memory':
      return memory();
    case 'cpu':
      return process.cpuUsage();
    case 'stats': {
      const current = stats;
      stats = { answered: {}, codes: {}, queries: {}, sdk: {} };
      return current;
    }
    case 'synced':
      return synced;
    case 'time-sdk':
      timeSdk = true;
      return true;
    case 'verify':
      return verify(request.guilds);
    case 'profile-start':
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.post('Profiler.start');
      return true;
    case 'profile-stop':
      return profileStop(request.saveTo);
    case 'stop':
      await runtime?.stop();
      await economy?.close();
      setImmediate(() => process.exit(0));
      return true;
  }
}

process.on('message', (message: Envelope<Request>) => {
  handle(message.body).then(
    (result) => process.send!({ id: message.id, body: { ok: true, result } satisfies Reply }),
    (error: unknown) =>
      process.send!({
        id: message.id,
        body: { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
      }),
  );
});
// The parent going away ends this process too: no orphan bot left running.
process.on('disconnect', () => process.exit(0));
