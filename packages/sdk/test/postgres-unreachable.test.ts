import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEconomy, type Economy, ErrorCode } from '../src/index.js';
import { PostgresStore } from '../src/stores/postgres/store.js';
import { expectCodeTimed } from './support/expect.js';

// A PostgreSQL that cannot be reached, two ways, with short waits so the test stays fast:
// every call retries within the budget, then gives up with STORE_UNAVAILABLE (never a raw driver error).
const RETRY_BUDGET_MS = 400;
const CONNECT_TIMEOUT_MS = 300;
/** retryBudgetMs + one attempt's longest wait (the connect timeout here) + slack for a busy machine. */
const BOUND_MS = RETRY_BUDGET_MS + CONNECT_TIMEOUT_MS + 1_500;

let economy: Economy | undefined;
let server: Server | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  await economy?.close();
  economy = undefined;
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

function listen(onConnection: (socket: Socket) => void): Promise<number> {
  server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(portOf(server!))));
}

function portOf(s: Server): number {
  const address = s.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A loopback port nothing listens on: connecting is refused at once. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = portOf(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function open(port: number): { economy: Economy; store: PostgresStore } {
  const store = new PostgresStore({
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    retryBudgetMs: RETRY_BUDGET_MS,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  });
  economy = createEconomy({ storage: store });
  return { economy, store };
}

/** The store's own reads and writes, past the economy's gate (which waits for migrations first). */
async function expectStoreCallsUnavailable(store: PostgresStore): Promise<void> {
  await expectUnavailable(() => store.balance('t', 'user:a'));
  await expectUnavailable(() => store.listTransfers('t', { limit: 10 }));
  await expectUnavailable(() => store.userBalances('t'));
  await expectUnavailable(() =>
    store.commit({
      tenant: 't',
      batchId: null,
      transfers: [
        {
          id: 'x',
          from: 'faucet:f',
          to: 'user:a',
          amount: 1n,
          code: 'faucet.f',
          metadata: null,
          reverses: null,
          forced: false,
        },
      ],
    }),
  );
}

/** Runs a call that must fail with STORE_UNAVAILABLE after retrying (not at once), within the bound. */
async function expectUnavailable(call: () => Promise<unknown>): Promise<void> {
  const elapsed = await expectCodeTimed(call, ErrorCode.STORE_UNAVAILABLE);
  expect(elapsed, 'retried for the whole budget').toBeGreaterThanOrEqual(RETRY_BUDGET_MS - 5);
  expect(elapsed, 'gave up within the bound').toBeLessThan(BOUND_MS);
}

describe('PostgreSQL that cannot be reached', () => {
  it('refusing connections: migrate, balance, transfer and verify retry, then STORE_UNAVAILABLE', async () => {
    const { economy: e, store } = open(await closedPort());
    const ledger = e.tenant('t').ledger;
    await expectStoreCallsUnavailable(store);
    await expectUnavailable(() => e.migrate());
    await expectUnavailable(() => ledger.balance('user:a'));
    await expectUnavailable(() =>
      ledger.transfer({ from: 'faucet:f', to: 'user:a', amount: 1n, code: 'faucet.f' }),
    );
    await expectUnavailable(() => ledger.verify());
  });

  it('accepting connections and never answering (half-open): STORE_UNAVAILABLE within the bound', async () => {
    const { economy: e, store } = open(await listen(() => {}));
    const ledger = e.tenant('t').ledger;
    await expectStoreCallsUnavailable(store);
    await expectUnavailable(() => e.migrate());
    await expectUnavailable(() => ledger.balance('user:a'));
    await expectUnavailable(() =>
      ledger.transfer({ from: 'faucet:f', to: 'user:a', amount: 1n, code: 'faucet.f' }),
    );
  });
});
