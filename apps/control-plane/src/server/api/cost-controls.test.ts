import { presets } from '@guildmint/sdk';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trpcCode, trpcError } from '../../../test/support/expect';
import { createHarness, guild, type Harness, onboarded } from '../../../test/support/harness';
import { type SimulationHooks, SimulationRunner } from '../economy/simulation';
import { createLimiter } from '../rate-limit';
import type { SessionUser } from '../session';
import { handleTrpcRequest, MAX_TRPC_BODY_BYTES } from './http-handler';
import type { TRPCContext } from './trpc';

/**
 * What one user can make this server spend: bodies are refused unread past 1 MB, batches are capped,
 * previews and simulations are counted per user and tenant, and a simulation stops when its request
 * goes away or runs too long.
 */

const MB = 1_000_000;
const CHUNK = 64 * 1024;

/** A body of `total` bytes made only as it is read; `pulled` says how much was. */
function lazyBody(total: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      const size = Math.min(CHUNK, total - pulled);
      pulled += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
  return { stream, pulled: () => pulled };
}

describe('cost controls', () => {
  let h: Harness;
  let tenantId: string;
  let user: SessionUser;
  let contexts = 0;

  beforeAll(async () => {
    h = await createHarness('libsql');
    ({ tenantId, user } = await onboarded(h));
  });
  afterAll(() => h.close());

  const http = (req: Request) =>
    handleTrpcRequest(req, {
      publicOrigin: null,
      createContext: async (): Promise<TRPCContext> => {
        contexts++;
        return { session: { user }, services: h.services };
      },
    });

  it('refuses a 300 MB body it was told about without reading a byte of it, before any session', async () => {
    const body = lazyBody(300 * MB);
    contexts = 0;
    const response = await http(
      new Request('http://localhost/api/trpc/economy.preview?batch=1', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(300 * MB) },
        body: body.stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(CHUNK);
    expect(contexts).toBe(0);
  });

  it('cuts off a 300 MB body of undeclared length as soon as it passes the limit', async () => {
    const body = lazyBody(300 * MB);
    contexts = 0;
    const response = await http(
      new Request('http://localhost/api/trpc/economy.preview', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body.stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_TRPC_BODY_BYTES + 2 * CHUNK);
    expect(contexts).toBe(0);
  });

  it('answers a body under the limit as before', async () => {
    const response = await http(
      new Request('http://localhost/api/trpc/economy.current', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(superjson.serialize({ tenantId })),
      }),
    );
    expect(response.status).toBe(200);
  });

  it('refuses a batch of more than 10 calls before running any of them', async () => {
    const paths = Array.from({ length: 11 }, () => 'economy.simulate').join(',');
    const input = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [i, superjson.serialize({ tenantId, config: presets.cozy })]),
    );
    contexts = 0;
    const response = await http(
      new Request(`http://localhost/api/trpc/${paths}?batch=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      }),
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/Batch call exceeds maximum size/);
    expect(contexts).toBe(0);
  });

  it('counts previews and simulations per user and tenant, and refuses past the budget', async () => {
    const limited = await createHarness('libsql', {
      costs: createLimiter({ points: 12, perSeconds: 3600, keyPrefix: 'test-costs' }),
    });
    try {
      const { tenantId: mine, user: owner, caller } = await onboarded(limited);
      await caller.economy.simulate({ tenantId: mine, config: presets.cozy, members: 10 }); // 10 points
      await caller.economy.preview({ tenantId: mine, draft: presets.cozy }); // 1
      await caller.economy.preview({ tenantId: mine, draft: presets.cozy }); // 1: the budget is spent
      const refused = await trpcError(caller.economy.preview({ tenantId: mine, draft: presets.cozy }));
      expect(refused.code).toBe('TOO_MANY_REQUESTS');
      expect(refused.message).toMatch(/try again in \d+ s/);
      expect(await trpcCode(caller.economy.simulate({ tenantId: mine, config: presets.cozy }))).toBe(
        'TOO_MANY_REQUESTS',
      );
      // Another of the owner's tenants has a budget of its own.
      const other = guild('Other');
      limited.directory.guilds.set(owner.id, [...(limited.directory.guilds.get(owner.id) ?? []), other]);
      await caller.tenants.create({ guildId: other.id, preset: 'cozy' });
      expect((await caller.economy.preview({ tenantId: other.id, draft: presets.cozy })).ok).toBe(true);
    } finally {
      await limited.close();
    }
  });

  it('stops a simulation when its request goes away', async () => {
    const days: number[] = [];
    const controller = new AbortController();
    const runner = new SimulationRunner(
      { maxConcurrent: 2, timeoutMs: 120_000, cacheSize: 5 },
      {
        onDay: (day) => {
          days.push(day);
          if (day === 1) controller.abort(new Error('the client went away'));
        },
      },
    );
    await withRunner(runner, async (own, { tenantId: mine, user: owner }) => {
      const call = own
        .caller(owner, { signal: controller.signal })
        .economy.simulate({ tenantId: mine, config: presets.classic, members: 200 });
      await expect(call).rejects.toThrow();
      // The day that was under way when the client left was the last one simulated.
      expect(days).toEqual([1]);
    });
  });

  it('refuses one simulation too many at once, and serves the next once the first is done', async () => {
    const first = held();
    const runner = new SimulationRunner(
      { maxConcurrent: 1, timeoutMs: 120_000, cacheSize: 5 },
      { simulate: first.simulate },
    );
    await withRunner(runner, async (_, { tenantId: mine, caller }) => {
      const running = caller.economy.simulate({ tenantId: mine, config: presets.classic, members: 200 });
      await first.started;
      const busy = await trpcError(
        caller.economy.simulate({ tenantId: mine, config: presets.cozy, members: 200 }),
      );
      expect(busy.code).toBe('TOO_MANY_REQUESTS');
      first.finish();
      expect(await running).toEqual({ members: 200, days: [] });
      // The slot is free again: the refused draft runs now.
      const next = await caller.economy.simulate({ tenantId: mine, config: presets.cozy, members: 200 });
      expect(next).toEqual({ members: 200, days: [] });
    });
  });

  it('stops a simulation that runs past its time limit', async () => {
    // An engine that never finishes on its own: only the time limit can end it.
    const endless = held();
    const runner = new SimulationRunner(
      { maxConcurrent: 1, timeoutMs: 300, cacheSize: 5 },
      { simulate: endless.simulate },
    );
    await withRunner(runner, async (_, { tenantId: mine, caller }) => {
      const timedOut = await trpcError(
        caller.economy.simulate({ tenantId: mine, config: presets.classic, members: 200 }),
      );
      expect(timedOut.code).toBe('TIMEOUT');
      expect(timedOut.message).toMatch(/took longer than 0.3 s/);
      expect(endless.stoppedBy()).toBeInstanceOf(DOMException);
    });
  });
});

/** A server of its own with `runner` as its simulator, and an owner onboarded on it. */
async function withRunner(
  runner: SimulationRunner,
  test: (own: Harness, owner: Awaited<ReturnType<typeof onboarded>>) => Promise<void>,
): Promise<void> {
  const own = await createHarness('libsql', { simulations: runner });
  try {
    await test(own, await onboarded(own));
  } finally {
    await own.close();
  }
}

/**
 * A stand-in engine whose first run finishes only when `finish()` is called or its signal stops it
 * (later runs finish at once), so a test decides when a run ends instead of racing a real one.
 */
function held() {
  let started!: () => void;
  let finish!: () => void;
  let reason: unknown;
  const startedOnce = new Promise<void>((resolve) => {
    started = resolve;
  });
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let runs = 0;
  const simulate: NonNullable<SimulationHooks['simulate']> = async ({ signal }) => {
    if (runs++ > 0) return { days: [] };
    started();
    const stopped = new Promise<never>((_, reject) => {
      signal?.addEventListener('abort', () => {
        reason = signal.reason;
        reject(signal.reason);
      });
    });
    await Promise.race([finished, stopped]);
    return { days: [] };
  };
  return { simulate, started: startedOnce, finish, stoppedBy: () => reason };
}
