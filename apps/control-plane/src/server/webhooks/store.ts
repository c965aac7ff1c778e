import { type Client, createClient } from '@libsql/client';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { webhookEndpoints as pgEndpoints } from '../db/schema/webhooks.pg';
import { webhookEndpoints as sqliteEndpoints } from '../db/schema/webhooks.sqlite';

/** A tenant's webhook endpoint as stored (the secret included: deliveries are signed with it). */
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
  close(): Promise<void>;
}

type Table = typeof pgEndpoints;
type Row = Table['$inferSelect'];

const toRecord = (row: Row): EndpointRecord => ({
  ...row,
  eventTypes: row.eventTypes ? row.eventTypes.split(',') : [],
});

function toColumns(patch: EndpointPatch): Partial<Row> {
  const { eventTypes, ...rest } = patch;
  return { ...rest, ...(eventTypes && { eventTypes: eventTypes.join(',') }) };
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
  ) {}

  async insert(record: EndpointRecord): Promise<void> {
    await this.db.insert(this.table).values({ ...record, eventTypes: record.eventTypes.join(',') });
  }

  async list(tenantId: string): Promise<EndpointRecord[]> {
    const rows = await this.db
      .select()
      .from(this.table)
      .where(eq(this.table.tenantId, tenantId))
      .orderBy(desc(this.table.createdAt), desc(this.table.id));
    return rows.map(toRecord);
  }

  async get(tenantId: string, id: string): Promise<EndpointRecord | null> {
    const [row] = await this.db
      .select()
      .from(this.table)
      .where(and(eq(this.table.tenantId, tenantId), eq(this.table.id, id)));
    return row ? toRecord(row) : null;
  }

  async enabledByIds(ids: readonly string[]): Promise<EndpointRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(this.table)
      .where(and(inArray(this.table.id, [...ids]), eq(this.table.enabled, true)));
    return rows.map(toRecord);
  }

  async update(tenantId: string, id: string, patch: EndpointPatch): Promise<boolean> {
    const done = await this.db
      .update(this.table)
      .set(toColumns(patch))
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

  close(): Promise<void> {
    return this.close_();
  }
}

/** The endpoint table of the platform database at `url`. */
export function openEndpointStore(url: string): EndpointStore {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    // An idle connection dropped by the server must not crash the app: the next query reconnects.
    pool.on('error', () => {});
    return new DrizzleEndpointStore(drizzlePg(pool), pgEndpoints, () => pool.end());
  }
  if (url.startsWith('file:')) {
    const client: Client = createClient({ url });
    const ready = client.execute('PRAGMA busy_timeout = 5000');
    // The same calls on the libSQL builder and table (see DrizzleEndpointStore); the first waits for the pragma.
    const store = new DrizzleEndpointStore(
      drizzleLibsql(client) as unknown as NodePgDatabase,
      sqliteEndpoints as unknown as Table,
      async () => client.close(),
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
