import { type Client, createClient } from '@libsql/client';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { webhookEndpoints as pgEndpoints } from '../db/schema/webhooks.pg';
import { webhookEndpoints as sqliteEndpoints } from '../db/schema/webhooks.sqlite';
import { needsReseal, openSecret, type SecretKeyring, sealSecret } from './secret-box';

/**
 * A tenant's webhook endpoint (the secret included: deliveries are signed with it). The store seals
 * `secret` and `previousSecret` at rest (secret-box.ts) and hands them out open.
 */
export interface EndpointRecord {
  id: string;
  tenantId: string;
  url: string;
  description: string;
  /** Empty: every event type. */
  eventTypes: string[];
  enabled: boolean;
  secret: string;
  previousSecret: string | null;
  previousExpiresAt: Date | null;
  createdBy: string;
  createdAt: Date;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
}

export type EndpointPatch = Partial<Omit<EndpointRecord, 'id' | 'tenantId' | 'createdBy' | 'createdAt'>>;

/** The endpoint table in the platform database (its migrations create it): libSQL or PostgreSQL. */
export interface EndpointStore {
  insert(record: EndpointRecord): Promise<void>;
  /** A tenant's endpoints, newest first. */
  list(tenantId: string): Promise<EndpointRecord[]>;
  get(tenantId: string, id: string): Promise<EndpointRecord | null>;
  /** Enabled endpoints with these ids, whatever their tenant (the worker checks each delivery's). */
  enabledByIds(ids: readonly string[]): Promise<EndpointRecord[]>;
  /** Changes an endpoint of this tenant; false when it has none with this id. */
  update(tenantId: string, id: string, patch: EndpointPatch): Promise<boolean>;
  remove(tenantId: string, id: string): Promise<boolean>;
  /**
   * Seals every secret still plain (rows from before encryption) or sealed under a rotated-out key
   * under the current key: how many rows it rewrote, and the endpoints whose secret no configured key
   * opens (left as they are; their deliveries fail until the key is configured). Run at start.
   */
  resealSecrets(): Promise<{ resealed: number; unreadable: string[] }>;
  close(): Promise<void>;
}

type Table = typeof pgEndpoints;
type Row = Table['$inferSelect'];

/** What a sealed secret is bound to: its endpoint and column, so it opens nowhere else. */
const contextOf = (tenantId: string, id: string, column: 'secret' | 'previousSecret') =>
  `cp_webhook_endpoints/${tenantId}/${id}/${column}`;

function toRecord(ring: SecretKeyring, row: Row): EndpointRecord {
  const open = (column: 'secret' | 'previousSecret', value: string) =>
    openSecret(ring, value, contextOf(row.tenantId, row.id, column));
  return {
    ...row,
    eventTypes: row.eventTypes ? row.eventTypes.split(',') : [],
    secret: open('secret', row.secret),
    previousSecret: row.previousSecret === null ? null : open('previousSecret', row.previousSecret),
  };
}

function toColumns(ring: SecretKeyring, tenantId: string, id: string, patch: EndpointPatch): Partial<Row> {
  const { eventTypes, secret, previousSecret, ...rest } = patch;
  const seal = (column: 'secret' | 'previousSecret', value: string) =>
    sealSecret(ring, value, contextOf(tenantId, id, column));
  return {
    ...rest,
    ...(eventTypes && { eventTypes: eventTypes.join(',') }),
    ...(secret !== undefined && { secret: seal('secret', secret) }),
    ...(previousSecret !== undefined && {
      previousSecret: previousSecret === null ? null : seal('previousSecret', previousSecret),
    }),
  };
}

/**
 * One implementation for both dialects: the tables have the same columns, and drizzle's libSQL and
 * PostgreSQL builders take the same calls and return the same values (booleans, Dates) for them.
 */
class DrizzleEndpointStore implements EndpointStore {
  constructor(
    private readonly db: NodePgDatabase,
    private readonly table: Table,
    private readonly close_: () => Promise<void>,
    private readonly ring: SecretKeyring,
  ) {}

  async insert(record: EndpointRecord): Promise<void> {
    const { id, tenantId, eventTypes, secret, previousSecret } = record;
    const sealed = toColumns(this.ring, tenantId, id, { eventTypes, secret, previousSecret });
    await this.db.insert(this.table).values({ ...record, ...sealed } as Row);
  }

  async list(tenantId: string): Promise<EndpointRecord[]> {
    const rows = await this.db
      .select()
      .from(this.table)
      .where(eq(this.table.tenantId, tenantId))
      .orderBy(desc(this.table.createdAt), desc(this.table.id));
    return rows.map((row) => toRecord(this.ring, row));
  }

  async get(tenantId: string, id: string): Promise<EndpointRecord | null> {
    const [row] = await this.db
      .select()
      .from(this.table)
      .where(and(eq(this.table.tenantId, tenantId), eq(this.table.id, id)));
    return row ? toRecord(this.ring, row) : null;
  }

  async enabledByIds(ids: readonly string[]): Promise<EndpointRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(this.table)
      .where(and(inArray(this.table.id, [...ids]), eq(this.table.enabled, true)));
    return rows.map((row) => toRecord(this.ring, row));
  }

  async update(tenantId: string, id: string, patch: EndpointPatch): Promise<boolean> {
    const done = await this.db
      .update(this.table)
      .set(toColumns(this.ring, tenantId, id, patch))
      .where(and(eq(this.table.tenantId, tenantId), eq(this.table.id, id)))
      .returning({ id: this.table.id });
    return done.length > 0;
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const done = await this.db
      .delete(this.table)
      .where(and(eq(this.table.tenantId, tenantId), eq(this.table.id, id)))
      .returning({ id: this.table.id });
    return done.length > 0;
  }

  async resealSecrets(): Promise<{ resealed: number; unreadable: string[] }> {
    const rows = await this.db.select().from(this.table);
    const stale = rows.filter(
      (row) =>
        needsReseal(this.ring, row.secret) ||
        (row.previousSecret !== null && needsReseal(this.ring, row.previousSecret)),
    );
    const unreadable: string[] = [];
    for (const row of stale) {
      let open: EndpointRecord;
      try {
        open = toRecord(this.ring, row);
      } catch {
        unreadable.push(row.id);
        continue;
      }
      await this.update(row.tenantId, row.id, { secret: open.secret, previousSecret: open.previousSecret });
    }
    return { resealed: stale.length - unreadable.length, unreadable };
  }

  close(): Promise<void> {
    return this.close_();
  }
}

/** The endpoint table of the platform database at `url`, its secrets sealed with `ring`. */
export function openEndpointStore(url: string, ring: SecretKeyring): EndpointStore {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    // An idle connection dropped by the server must not crash the app: the next query reconnects.
    pool.on('error', () => {});
    return new DrizzleEndpointStore(drizzlePg(pool), pgEndpoints, () => pool.end(), ring);
  }
  if (url.startsWith('file:')) {
    const client: Client = createClient({ url });
    const ready = client.execute('PRAGMA busy_timeout = 5000');
    // The same calls on the libSQL builder and table (see DrizzleEndpointStore); the first waits for the pragma.
    const store = new DrizzleEndpointStore(
      drizzleLibsql(client) as unknown as NodePgDatabase,
      sqliteEndpoints as unknown as Table,
      async () => client.close(),
      ring,
    );
    return new Proxy(store, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function'
          ? async (...args: unknown[]) => {
              await ready;
              return value.apply(target, args);
            }
          : value;
      },
    });
  }
  throw new Error(
    `webhook endpoints need a platform database that other connections can open, not ${url.split(':')[0]}:…`,
  );
}
