import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineEconomy, type Economy, seededRandom, type Tenant } from '../src/index.js';
import { RollupMetric } from '../src/ledger/rollups.js';
import { LibsqlStore } from '../src/stores/libsql/store.js';
import { PostgresStore } from '../src/stores/postgres/store.js';
import type { Store } from '../src/stores/types.js';
import { type CatalogRules, explainRules, postgresCatalog, sqliteCatalog } from './support/citus-rules.js';
import { ManualClock } from './support/clock.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/services.js';

// Issue 13 §4: the schema and every statement the SDK issues follow Citus's rules for distributing the
// tables by `tenant_id`, so a tenant set that outgrows one cluster can move to Citus without a rewrite.
// Citus cannot be installed here, so this reads the rules off the real catalogs and query plans instead.

const SEED = 13_04;

/**
 * What deliberately spans tenants, with why. On Citus these run as multi-shard statements (allowed, just not
 * routed to one worker): the webhook worker's claims and its retention sweep go over every tenant's outbox.
 */
const CROSS_TENANT_METHODS = new Set([
  'claimEvents',
  'claimDeliveries',
  'pruneOutbox',
  'dispatchEvents',
  'recordAttempts',
]);

/** Store methods that issue no tenant statement: schema changes, the connection's life, the config listener. */
const NOT_STATEMENTS = new Set(['migrate', 'close', 'watchConfigs', 'constructor']);

describe.skipIf(!(await postgresAvailable()))('Citus rules (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  let economy: Economy;
  const statements = new Map<string, { values: unknown[]; methods: Set<string> }>();
  const called = new Set<string>();
  let inMethod: string[] = [];
  const originalQuery = pg.Client.prototype.query;

  beforeAll(async () => {
    db = await createTestDatabase('citus');
    const migrator = new PostgresStore({ url: db.url });
    await migrator.migrate();
    await migrator.close();
    store = new PostgresStore({ url: db.url });
    recordMethods(store);
    // Every statement a pg client sends from now on, with the store method that sent it (instrumentation
    // of the real driver: the statements still run against the real database).
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
      const text = typeof config === 'string' ? config : config?.text;
      if (typeof text === 'string') {
        const seen = statements.get(text) ?? {
          values: (typeof config === 'string' ? values : config.values) ?? [],
          methods: new Set(),
        };
        for (const m of inMethod) seen.methods.add(m);
        statements.set(text, seen);
      }
      return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pg.Client.prototype.query;
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    console.info(`Citus rules: workload seed ${SEED}`);
    economy = await import('../src/index.js').then(({ createEconomy }) =>
      createEconomy({ storage: store, clock, random: seededRandom(SEED) }),
    );
    await workload(economy.tenant('citus_a'), store, clock);
    await workload(economy.tenant('citus_b'), store, clock);
    pg.Client.prototype.query = originalQuery;
  }, 120_000);

  afterAll(async () => {
    pg.Client.prototype.query = originalQuery;
    await economy?.close();
    await db?.drop();
  });

  /** Wraps each store method to know who sent a statement and that every method ran. */
  function recordMethods(target: Store): void {
    const names = new Set<string>();
    for (
      let proto = Object.getPrototypeOf(target);
      proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
    }
    for (const name of names) {
      const fn = (target as unknown as Record<string, unknown>)[name];
      if (typeof fn !== 'function' || NOT_STATEMENTS.has(name) || name.startsWith('_')) continue;
      (target as unknown as Record<string, unknown>)[name] = async function (
        this: unknown,
        ...args: unknown[]
      ) {
        called.add(name);
        inMethod = [...inMethod, name];
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          inMethod = inMethod.filter((m) => m !== name);
        }
      };
    }
  }

  it('every primary key and unique index holds tenant_id; no foreign key crosses tenants', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      expectRulesKept(await postgresCatalog(client));
    } finally {
      await client.end();
    }
  });

  it('the workload ran every store method that sends statements', () => {
    const methods = Object.getOwnPropertyNames(PostgresStore.prototype).filter(
      (n) =>
        !NOT_STATEMENTS.has(n) &&
        typeof (PostgresStore.prototype as unknown as Record<string, unknown>)[n] === 'function',
    );
    expect(methods.filter((m) => !called.has(m))).toEqual([]);
    expect(statements.size).toBeGreaterThan(30);
  });

  it('every statement on a gm_ table filters by tenant_id, changes no tenant_id and calls nothing volatile in an UPDATE', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const problems: string[] = [];
      let explained = 0;
      for (const [text, { values, methods }] of statements) {
        const crossTenant = [...methods].some((m) => CROSS_TENANT_METHODS.has(m));
        const found = await explainRules(client, text, values, { crossTenant });
        if (found === null) continue;
        explained += 1;
        problems.push(...found.map((p) => `${[...methods].join('/') || '?'}: ${p}\n  ${text.slice(0, 300)}`));
      }
      console.info(`Citus rules: ${explained} distinct statements explained, ${statements.size} seen`);
      expect(problems).toEqual([]);
      expect(explained).toBeGreaterThan(30);
    } finally {
      await client.end();
    }
  });

  it('the checks catch what breaks the rules (negative controls on the same database)', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const check = (text: string, values: unknown[]) =>
      explainRules(client, text, values, { crossTenant: false });
    try {
      expect(await check('select balance from gm_balances where account = $1', ['user:1'])).toEqual([
        'Seq Scan on gm_balances without a tenant_id condition',
      ]);
      expect(await check('update gm_balances set tenant_id = $1 where tenant_id = $2', ['a', 'b'])).toEqual([
        'an UPDATE sets tenant_id',
      ]);
      expect(
        await check('update gm_state set version = floor(random() * 10) where tenant_id = $1', ['a']),
      ).toEqual(['UPDATE of gm_state calls volatile random()']);
      await client.query('begin');
      await client.query('create table gm_probe_a (id text primary key, tenant_id text not null)');
      await client.query(
        'create table gm_probe_b (tenant_id text not null, id text not null, primary key (tenant_id, id), foreign key (id) references gm_probe_a (id))',
      );
      await client.query('create table gm_probe_c (id text)');
      const rules = await postgresCatalog(client);
      expect(rules.tablesWithoutTenant).toEqual(['gm_probe_c']);
      expect(rules.uniqueWithoutTenant).toEqual(['gm_probe_a_pkey']);
      expect(rules.foreignKeysAcrossTenants).toEqual(['gm_probe_b_id_fkey']);
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });
});

describe('Citus rules (libSQL schema)', () => {
  it('every primary key and unique index holds tenant_id; no foreign key crosses tenants (and probes that break them are caught)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guildmint-citus-'));
    const url = `file:${join(dir, 'ledger.db')}`;
    const store = new LibsqlStore({ url });
    await store.migrate();
    await store.close();
    const file = new Database(join(dir, 'ledger.db'));
    try {
      const read = (sql: string) => file.prepare(sql).all() as Array<Record<string, unknown>>;
      expectRulesKept(sqliteCatalog(read));
      // Negative controls: tables that break each rule are found.
      file.exec(`
        create table gm_probe_a (id text primary key, tenant_id text not null);
        create table gm_probe_b (tenant_id text not null, id text not null, primary key (tenant_id, id),
                                 foreign key (id) references gm_probe_a (id));
        create table gm_probe_c (id text);`);
      const broken = sqliteCatalog(read);
      expect(broken.tablesWithoutTenant).toEqual(['gm_probe_c']);
      expect(broken.uniqueWithoutTenant).toEqual(['gm_probe_a.sqlite_autoindex_gm_probe_a_1']);
      expect(broken.foreignKeysAcrossTenants).toEqual(['gm_probe_b#0']);
    } finally {
      file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function expectRulesKept(catalog: CatalogRules): void {
  expect(catalog.tables.length).toBeGreaterThanOrEqual(10);
  expect(catalog.tablesWithoutTenant).toEqual([]);
  expect(catalog.uniqueWithoutTenant).toEqual([]);
  expect(catalog.foreignKeysAcrossTenants).toEqual([]);
}

/** Calls every tenant operation that reaches the store, on one tenant. */
async function workload(t: Tenant, store: Store, clock: ManualClock): Promise<void> {
  const veteran = { joinedAt: new Date('2025-01-01T00:00:00Z') };
  await t.configure(
    defineEconomy({
      timeZone: 'Asia/Kolkata',
      policy: { rateLimit: { perMemberPerMinute: 600 } },
      streaks: { daily: {} },
      faucets: { daily: { reward: { fixed: 10 }, streak: 'daily' } },
      games: { coinflip: { enabled: true }, blackjack: { enabled: true } },
      bank: {
        enabled: true,
        minAmount: 1,
        interest: { dailyRateBps: 100, maxPerDay: 50, maxDaysAccrued: 3 },
      },
      robbery: {
        enabled: true,
        minChanceBps: 10_000,
        maxChanceBps: 10_000,
        minStealBps: 1_000,
        maxStealBps: 1_000,
        fineBps: 1_000,
        minFine: 1,
        minWallet: 10,
        cooldownSeconds: 1,
        protectionAfterRobbedSeconds: 0,
        newMemberDays: 0,
        inactiveDays: 365,
      },
      roleIncome: { enabled: true, roles: [{ roleId: '100', amount: 30, period: 'day' }] },
      trades: { enabled: true, feeBps: 0, expirySeconds: 60 },
      levels: { enabled: true },
      lottery: { enabled: true, ticketPrice: 10, maxTicketsPerMember: 5, houseCutBps: 1_000, drawHour: 20 },
      shop: { gifts: true, sellBackBps: 5_000, items: { gem: { name: 'Gem', price: 5, consumable: true } } },
    }),
  );
  await t.config();
  await t.configHistory();
  await t.configVersion(1);
  await t.grant('1', 10_000n, { reason: 'seed', actor: 'admin' });
  await t.grant('2', 10_000n, { reason: 'seed', actor: 'admin' });
  await t.pay({ from: '1', to: '2', amount: 25n });
  await t.claim('daily', '1');
  const round = await t.play('coinflip', '1', { bet: 10n, side: 'heads' });
  await t.round(round.roundId);
  await t.fairness('1');
  const blackjack = await t.play('blackjack', '2', { bet: 10n });
  if (!blackjack.finished) await t.act(blackjack.roundId, 'stand', { userId: '2' });
  await t.settleExpiredRounds();
  await t.buy('1', 'gem', { quantity: 3 });
  await t.use('1', 'gem');
  await t.gift({ from: '1', to: '2', item: 'gem', quantity: 1 });
  await t.sell('2', 'gem');
  await t.inventory('1');
  await t.stock();
  await t.streak('1');
  await t.deposit('1', 100n);
  await t.withdraw('1', 50n);
  await t.holdings('1');
  const robbed = await t.rob('2', '1', { robber: veteran, target: veteran });
  await t.robbery(robbed.id);
  await t.collect('1', { member: { roles: ['100'] } });
  const trade = await t.proposeTrade({ from: '1', to: '2', give: { coins: 5n } });
  await t.acceptTrade(trade.id, { userId: '2' });
  const open = await t.proposeTrade({ from: '2', to: '1', give: { coins: 5n } });
  await t.trade(open.id);
  await t.cancelTrade(open.id, { userId: '2' });
  await t.proposeTrade({ from: '2', to: '1', give: { coins: 5n } });
  clock.advance(120_000);
  await t.settleExpiredTrades();
  await t.abandonTrades('1');
  await t.levels.message({ userId: '1', messageId: t.id === 'citus_a' ? '1001' : '1002', channelId: '800' });
  await t.levels.voice({ userId: '2', periodId: `${t.id}-v1`, minutes: 5 });
  await t.lottery.buy('1', { quantity: 2 });
  await t.lottery.status('1');
  await t.profile('1');
  await t.importBalance('9', { wallet: 5n, bank: 5n, source: 'citus' });
  await t.leaderboard({ by: 'total' });
  await store.rankedMembersPage(t.id, 'total', 0, 10);
  await t.rank('1', 'wallet');
  await t.memberBalances({ limit: 10 });
  await t.freeze('2', { reason: 'check' });
  await t.isFrozen('2');
  await t.unfreeze('2');
  const paid = await t.pay({ from: '2', to: '3', amount: 3n });
  await t.ledger.reverse(paid.transfers[0]!.id, { reason: 'check' });
  await t.rollback('3', { since: new Date(0), reason: 'check', actor: 'admin' });
  await t.revoke('1', 1n, { reason: 'check', actor: 'admin' });
  await t.auditLog({ limit: 5 });
  await t.stats();
  await t.runAutoBalancer();
  await t.reportPresence(true);
  await t.presence();
  await t.anomalies({ since: new Date(0) });
  await t
    .recordEntitlement({ sku: 'pro', status: 'active', at: clock.now(), ref: `${t.id}-e1` } as never)
    .catch(() => undefined);
  await t.plan();
  await t.entitlements();
  await t.recordMember('1', { name: 'One' });
  await t.members({ search: 'On' });
  await t.analytics.headline();
  await t.analytics.supply();
  await t.analytics.flowsBySource();
  await t.analytics.games();
  await t.analytics.activeMembers();
  await t.analytics.streaks();
  await t.analytics.rebuild({ repair: true });
  await store.memberCensus(t.id, '1');
  // What a repairing rebuild writes when the kept rollups differ from the ledger (here they agree).
  const kept = await store.readRollups(t.id, {
    from: 0,
    to: Number.MAX_SAFE_INTEGER,
    metrics: Object.values(RollupMetric),
  });
  await store.replaceRollups(t.id, kept);
  await t.ledger.verify();
  await t.ledger.transfers({ account: 'user:1', limit: 5 });
  await store.topBalances(t.id, 5);
  // What a tenant's expired config cache asks first (real time, which the workload does not wait out).
  await store.latestConfigVersion(t.id);
  await store.flows(t.id, '2026-01-01');
  await store.findBatch(t.id, 'none');
  // The webhook worker's side (its own statements span tenants: see CROSS_TENANT_METHODS).
  await t.ledger.transfer(
    { from: 'user:1', to: 'user:2', amount: 1n, code: 'transfer' },
    { event: { type: 'member.paid', data: { amount: 1n } } },
  );
  const now = clock.now();
  const events = await store.claimEvents(10, now, new Date(now.getTime() + 60_000));
  await store.dispatchEvents(
    events.map((e) => ({ tenant: e.tenant, id: e.id })),
    events.map((e) => ({ tenant: e.tenant, eventId: e.id, endpointId: 'ep_1' })),
    now,
  );
  const deliveries = await store.claimDeliveries(10, now, new Date(now.getTime() + 60_000));
  await store.recordAttempts(
    deliveries.map(
      (d) =>
        ({
          ...d,
          attempt: 1,
          at: now,
          status: 200,
          durationMs: 3,
          error: null,
          outcome: 'delivered',
          nextAttemptAt: now,
          step: 0,
        }) as never,
    ),
  );
  await store.listDeliveries(t.id, { limit: 5 });
  await store.listAttempts(t.id, events[0]?.id ?? 'none', 'ep_1');
  await store.replayDeliveries(t.id, { since: new Date(0) }, now);
  await store.cancelDeliveries(t.id, 'ep_1');
  await store.pruneOutbox(new Date(0), 10);
  await store.recordEvents(t.id, false);
  await store.recordEvents(t.id, true);
}
