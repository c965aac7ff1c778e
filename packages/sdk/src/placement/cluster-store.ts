import type pg from 'pg';
import { ErrorCode, GuildmintError } from '../errors.js';
import type { Clock } from '../stores/clock.js';
import { systemClock } from '../stores/clock.js';
import type { AttemptRecord, ClaimedDelivery, ClaimedEvent, DeliveryKey } from '../stores/outbox.js';
import { createPool, waitsOf } from '../stores/postgres/connection.js';
import { isTenantFenced } from '../stores/postgres/fence.js';
import { PostgresHosts } from '../stores/postgres/hosts.js';
import { PostgresStore, type PostgresStoreOptions } from '../stores/postgres/store.js';
import type { ConfigChange, LedgerOp, Store, StoredTransfer } from '../stores/types.js';
import { type ClusterStorage, checkedClusters } from './clusters.js';
import { type Placement, PlacementDirectory } from './directory.js';

/** Each store's `adminOf`, for the mover: kept off the class's public face, whose types must not name `pg`. */
const admins = new WeakMap<ClusterStore, (cluster: string) => pg.Pool>();

/** A cluster's pool for moves and probes. */
export function adminPool(store: ClusterStore, cluster: string): pg.Pool {
  return admins.get(store)!(cluster);
}

/** Store methods whose first argument is a tenant. */
type TenantMethod = {
  [K in keyof Store]-?: NonNullable<Store[K]> extends (tenant: string, ...rest: never[]) => Promise<unknown>
    ? K
    : never;
}[keyof Store];

/** How long a write waits for a tenant's move to finish its pause (or roll back) before STORE_UNAVAILABLE. */
const MOVE_WAIT_MS = 30_000;
/** While the directory's listener is down, a cached placement is trusted this long. */
const UNHEARD_TTL_MS = 1_000;

/** One cluster: its store (the SDK's write path) and a small pool for moves and probes. */
interface Cluster {
  name: string;
  url: string;
  store: PostgresStore;
  admin: pg.Pool | undefined;
}

/**
 * A `Store` over several PostgreSQL clusters: each tenant lives on one, as the placement directory says
 * (`directory.ts`); every tenant-scoped call goes to that cluster's `PostgresStore`, whose own batcher
 * groups the cluster's writes; the cross-tenant calls of the webhook worker fan out over every cluster.
 * A grouped write that meets a fence (its tenant moved, or is in a move's pause) is retried, with the same
 * ops and so the same idempotency keys, on the cluster the directory names once the pause is over.
 */
export class ClusterStore implements Store {
  readonly kind = 'postgres' as const;
  readonly directory: PlacementDirectory;
  private readonly clusters = new Map<string, Cluster>();
  private readonly cache = new Map<string, { placement: Promise<Placement>; at: number }>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private heard = false;
  private readonly stopWatching: () => void;

  // Tenant-scoped calls, each on the store of the tenant's cluster. Writes wait out a move's pause first,
  // and one that meets a fence anyway (a stale directory) is retried where the tenant now lives.
  readonly balance = this.route('balance');
  readonly findTransfers = this.route('findTransfers');
  readonly findBatch = this.route('findBatch');
  readonly listTransfers = this.route('listTransfers');
  readonly findReversed = this.route('findReversed');
  readonly audit = this.route('audit');
  readonly readStates = this.route('readStates');
  readonly scanState = this.route('scanState');
  readonly listAudit = this.route('listAudit');
  readonly flows = this.route('flows');
  readonly topBalances = this.route('topBalances');
  readonly userBalances = this.route('userBalances');
  readonly rankedMembers = this.route('rankedMembers');
  readonly rankedMembersPage = this.route('rankedMembersPage');
  readonly memberBalances = this.route('memberBalances');
  readonly memberRank = this.route('memberRank');
  readonly memberCensus = this.route('memberCensus');
  readonly getConfig = this.route('getConfig');
  readonly latestConfigVersion = this.route('latestConfigVersion');
  readonly listConfigs = this.route('listConfigs');
  readonly isFrozen = this.route('isFrozen');
  readonly moneySupply = this.route('moneySupply');
  readonly readRollups = this.route('readRollups');
  readonly readRollupPeriods = this.route('readRollupPeriods');
  readonly readRollupCuts = this.route('readRollupCuts');
  readonly listMembers = this.route('listMembers');
  readonly listDeliveries = this.route('listDeliveries');
  readonly listAttempts = this.route('listAttempts');
  readonly setFrozen = this.route('setFrozen', 'write');
  readonly putConfig = this.route('putConfig', 'write');
  readonly replaceRollups = this.route('replaceRollups', 'write');
  readonly recordMemberProfile = this.route('recordMemberProfile', 'write');
  readonly replayDeliveries = this.route('replayDeliveries', 'write');
  readonly cancelDeliveries = this.route('cancelDeliveries', 'write');
  readonly recordEvents = this.route('recordEvents', 'write');

  constructor(storage: ClusterStorage, options: Omit<PostgresStoreOptions, 'url'> & { clock?: Clock } = {}) {
    const { names, directory } = checkedClusters(storage);
    for (const name of names) {
      const url = storage.clusters[name]!;
      this.clusters.set(name, {
        name,
        url,
        store: new PostgresStore({ ...options, clock: options.clock ?? systemClock, url }),
        admin: undefined,
      });
    }
    admins.set(this, (cluster) => this.adminOf(cluster));
    this.directory = new PlacementDirectory(storage.clusters[directory]!, names);
    this.stopWatching = this.directory.watch(
      ({ tenant }) => this.changed(tenant),
      (live) => {
        this.heard = live;
        // Reconnected: a change may have been missed while down.
        if (live) this.cache.clear();
      },
    );
  }

  /** The cluster names, sorted. */
  get names(): string[] {
    return [...this.clusters.keys()];
  }

  /** A cluster's own store (moves read `verify()` facts through it). */
  storeOf(cluster: string): PostgresStore {
    return this.cluster(cluster).store;
  }

  /** A cluster's pool for moves and probes (opened on first use); the mover reaches it through `adminPool`. */
  private adminOf(cluster: string): pg.Pool {
    const c = this.cluster(cluster);
    if (!c.admin) {
      const options = { url: c.url, poolSize: 3 };
      c.admin = createPool(options, waitsOf(options), new PostgresHosts(c.url));
    }
    return c.admin;
  }

  async migrate(): Promise<void> {
    await this.directory.migrate();
    await Promise.all([...this.clusters.values()].map((c) => c.store.migrate()));
  }

  /** The tenant's placement: cached (dropped when the directory announces a change), placed when new. */
  placementOf(tenant: string): Promise<Placement> {
    const cached = this.cache.get(tenant);
    if (cached && (this.heard || Date.now() - cached.at < UNHEARD_TTL_MS)) return cached.placement;
    const placement = this.lookUp(tenant);
    this.cache.set(tenant, { placement, at: Date.now() });
    placement.catch(() => this.cache.delete(tenant));
    return placement;
  }

  commit(op: LedgerOp): Promise<StoredTransfer[]> {
    return this.onPlaced(op.tenant, (store) => store.commit(op));
  }

  async claimEvents(limit: number, now: Date, leaseUntil: Date): Promise<ClaimedEvent[]> {
    return this.claimAcross(limit, (store, n) => store.claimEvents(n, now, leaseUntil));
  }

  async claimDeliveries(limit: number, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    return this.claimAcross(limit, (store, n) => store.claimDeliveries(n, now, leaseUntil));
  }

  async dispatchEvents(
    events: readonly { tenant: string; id: string }[],
    deliveries: readonly DeliveryKey[],
    now: Date,
  ): Promise<void> {
    type Row = { tenant: string; event?: (typeof events)[number]; delivery?: DeliveryKey };
    const rows: Row[] = [
      ...events.map((event) => ({ tenant: event.tenant, event })),
      ...deliveries.map((delivery) => ({ tenant: delivery.tenant, delivery })),
    ];
    await this.spread(rows, (store, part) =>
      store.dispatchEvents(
        part.flatMap((row) => row.event ?? []),
        part.flatMap((row) => row.delivery ?? []),
        now,
      ),
    );
  }

  async recordAttempts(attempts: readonly AttemptRecord[]): Promise<void> {
    await this.spread(attempts, (store, part) => store.recordAttempts(part));
  }

  async pruneOutbox(before: Date, limit: number): Promise<number> {
    let pruned = 0;
    for (const cluster of this.clusters.values()) {
      if (pruned >= limit) break;
      pruned += await cluster.store.pruneOutbox(before, limit - pruned);
    }
    return pruned;
  }

  watchConfigs(listener: (change: ConfigChange) => void, live?: (listening: boolean) => void): () => void {
    const states = new Map<string, boolean>();
    const stops = [...this.clusters.values()].map((c) =>
      c.store.watchConfigs(listener, (on) => {
        const before = [...states.values()].every(Boolean) && states.size === this.clusters.size;
        states.set(c.name, on);
        const now = [...states.values()].every(Boolean) && states.size === this.clusters.size;
        if (before !== now) live?.(now);
      }),
    );
    return () => {
      for (const stop of stops) stop();
    };
  }

  async close(): Promise<void> {
    this.stopWatching();
    await Promise.all([...this.clusters.values()].map((c) => c.store.close()));
    await Promise.all([...this.clusters.values()].map((c) => c.admin?.end()));
    await this.directory.close();
  }

  /** The placement once no move's pause holds the tenant (the fence would refuse its writes). */
  private async settled(tenant: string, deadline = Date.now() + MOVE_WAIT_MS): Promise<Placement> {
    for (;;) {
      const placement = await this.placementOf(tenant);
      if (placement.move?.step !== 'fenced') return placement;
      if (Date.now() > deadline) {
        throw new GuildmintError(
          ErrorCode.STORE_UNAVAILABLE,
          `tenant ${tenant} is being moved and its writes are paused; nothing was written, try again`,
        );
      }
      await this.nextChange(tenant, 20);
    }
  }

  private async lookUp(tenant: string): Promise<Placement> {
    const found = await this.directory.get(tenant);
    if (found) return found;
    return this.directory.place(tenant, await this.holderOf(tenant));
  }

  /** A cluster that already holds rows of a tenant the directory does not know (a store joined to clusters). */
  private async holderOf(tenant: string): Promise<string | undefined> {
    for (const name of this.clusters.keys()) {
      const { rows } = await this.adminOf(name).query(
        `SELECT EXISTS (SELECT 1 FROM gm_balances WHERE tenant_id = $1)
             OR EXISTS (SELECT 1 FROM gm_configs WHERE tenant_id = $1)
             OR EXISTS (SELECT 1 FROM gm_state WHERE tenant_id = $1) AS held`,
        [tenant],
      );
      if (rows[0]?.held === true) return name;
    }
    return undefined;
  }

  private changed(tenant: string): void {
    this.cache.delete(tenant);
    const waiting = this.waiters.get(tenant);
    this.waiters.delete(tenant);
    for (const wake of waiting ?? []) wake();
  }

  /** Resolves on the tenant's next announced change, or after `ms` (a notification may be missed). */
  private nextChange(tenant: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(tenant) ?? new Set();
      this.waiters.set(tenant, set);
      const timer = setTimeout(() => {
        set.delete(resolve);
        this.cache.delete(tenant);
        resolve();
      }, ms);
      set.add(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Claims from each cluster in turn up to `limit`; rows of tenants placed elsewhere (a copy mid-move) are left to lapse. */
  private async claimAcross<T extends { tenant: string }>(
    limit: number,
    claim: (store: PostgresStore, n: number) => Promise<T[]>,
  ): Promise<T[]> {
    const claimed: T[] = [];
    for (const cluster of this.clusters.values()) {
      if (claimed.length >= limit) break;
      for (const row of await claim(cluster.store, limit - claimed.length)) {
        if ((await this.placementOf(row.tenant)).cluster === cluster.name) claimed.push(row);
      }
    }
    return claimed;
  }

  /**
   * A cross-tenant write of the webhook worker, one part per cluster its rows' tenants live on. A part that
   * meets a fence (a tenant moved: this process's directory was stale) wrote nothing; its fenced tenants'
   * placements are read afresh and the part is spread again, until the move's pause is over. The rows are
   * keyed (deliveries and attempts insert-or-skip, updates set absolute values), so a retried part lands once.
   */
  private async spread<T extends { tenant: string }>(
    rows: readonly T[],
    write: (store: PostgresStore, part: T[]) => Promise<void>,
    deadline = Date.now() + MOVE_WAIT_MS,
  ): Promise<void> {
    const parts = await this.byCluster(rows);
    await Promise.all(
      [...parts].map(async ([name, part]) => {
        try {
          await write(this.cluster(name).store, part);
        } catch (error) {
          if (!isTenantFenced(error) || Date.now() > deadline) throw error;
          for (const tenant of error.tenants) this.changed(tenant);
          await this.nextChange(error.tenants[0]!, 20);
          await this.spread(part, write, deadline);
        }
      }),
    );
  }

  private async byCluster<T extends { tenant: string }>(items: readonly T[]): Promise<Map<string, T[]>> {
    const parts = new Map<string, T[]>();
    for (const item of items) {
      const { cluster } = await this.placementOf(item.tenant);
      parts.set(cluster, [...(parts.get(cluster) ?? []), item]);
    }
    return parts;
  }

  /** A tenant-scoped method of `Store` (the tenant its first argument), run on the tenant's cluster. */
  private route<K extends TenantMethod>(name: K, kind: 'read' | 'write' = 'read'): Store[K] {
    const call = (store: PostgresStore, tenant: string, rest: unknown[]) =>
      (store[name] as (...a: unknown[]) => Promise<unknown>).call(store, tenant, ...rest);
    // Reads go ahead during a pause (they are never fenced), yet share the retry: a method listed here as a
    // read that writes after all is still refused by the fence and retried, never lost.
    return ((tenant: string, ...rest: unknown[]) =>
      this.onPlaced(tenant, (store) => call(store, tenant, rest), kind === 'write')) as Store[K];
  }

  /**
   * A call on the tenant's cluster, a write once no move's pause holds it. A write that meets the fence (this
   * process's directory was stale, or the pause began meanwhile) wrote nothing: the placement is read afresh
   * and the same write retried where the tenant is served, until the move's pause is over.
   */
  private async onPlaced<T>(
    tenant: string,
    write: (store: PostgresStore) => Promise<T>,
    waitOutPause = true,
  ): Promise<T> {
    const deadline = Date.now() + MOVE_WAIT_MS;
    for (;;) {
      const placement = waitOutPause ? await this.settled(tenant, deadline) : await this.placementOf(tenant);
      try {
        return await write(this.cluster(placement.cluster).store);
      } catch (error) {
        if (!isTenantFenced(error)) throw error;
        this.changed(tenant);
        if (Date.now() > deadline) throw error;
        await this.nextChange(tenant, 20);
      }
    }
  }

  private cluster(name: string): Cluster {
    const cluster = this.clusters.get(name);
    if (!cluster) throw new GuildmintError(ErrorCode.INTERNAL, `no cluster named ${name} in this process`);
    return cluster;
  }
}
