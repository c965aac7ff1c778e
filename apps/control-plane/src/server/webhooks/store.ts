import { and, desc, eq, inArray } from 'drizzle-orm';
import { type DrizzleHandle, openDrizzleHandle } from '../db/drizzle-handle';
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
type Tables = { webhookEndpoints: Table };

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

/** The endpoint table, one implementation for libSQL and PostgreSQL (see DrizzleHandle). */
class DrizzleEndpointStore implements EndpointStore {
  constructor(
    private readonly h: DrizzleHandle<Tables>,
    private readonly ring: SecretKeyring,
  ) {}

  private get table(): Table {
    return this.h.tables.webhookEndpoints;
  }

  insert(record: EndpointRecord): Promise<void> {
    const { id, tenantId, eventTypes, secret, previousSecret } = record;
    const sealed = toColumns(this.ring, tenantId, id, { eventTypes, secret, previousSecret });
    return this.h.write(async () => {
      await this.h.db.insert(this.table).values({ ...record, ...sealed } as Row);
    });
  }

  list(tenantId: string): Promise<EndpointRecord[]> {
    return this.h.read(async () => {
      const rows = await this.h.db
        .select()
        .from(this.table)
        .where(eq(this.table.tenantId, tenantId))
        .orderBy(desc(this.table.createdAt), desc(this.table.id));
      return rows.map((row) => toRecord(this.ring, row));
    });
  }

  get(tenantId: string, id: string): Promise<EndpointRecord | null> {
    return this.h.read(async () => {
      const [row] = await this.h.db
        .select()
        .from(this.table)
        .where(and(eq(this.table.tenantId, tenantId), eq(this.table.id, id)));
      return row ? toRecord(this.ring, row) : null;
    });
  }

  async enabledByIds(ids: readonly string[]): Promise<EndpointRecord[]> {
    if (ids.length === 0) return [];
    return this.h.read(async () => {
      const rows = await this.h.db
        .select()
        .from(this.table)
        .where(and(inArray(this.table.id, [...ids]), eq(this.table.enabled, true)));
      return rows.map((row) => toRecord(this.ring, row));
    });
  }

  update(tenantId: string, id: string, patch: EndpointPatch): Promise<boolean> {
    return this.h.write(async () => {
      const done = await this.h.db
        .update(this.table)
        .set(toColumns(this.ring, tenantId, id, patch))
        .where(and(eq(this.table.tenantId, tenantId), eq(this.table.id, id)))
        .returning({ id: this.table.id });
      return done.length > 0;
    });
  }

  remove(tenantId: string, id: string): Promise<boolean> {
    return this.h.write(async () => {
      const done = await this.h.db
        .delete(this.table)
        .where(and(eq(this.table.tenantId, tenantId), eq(this.table.id, id)))
        .returning({ id: this.table.id });
      return done.length > 0;
    });
  }

  async resealSecrets(): Promise<{ resealed: number; unreadable: string[] }> {
    const rows = await this.h.read(() => this.h.db.select().from(this.table));
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
    return this.h.close();
  }
}

/** The endpoint table of the platform database at `url`; secrets sealed with `ring`. */
export function openEndpointStore(url: string, ring: SecretKeyring): EndpointStore {
  const handle = openDrizzleHandle(
    url,
    { pg: { webhookEndpoints: pgEndpoints }, sqlite: { webhookEndpoints: sqliteEndpoints } },
    { what: 'webhook endpoints', poolMax: 3 },
  );
  return new DrizzleEndpointStore(handle, ring);
}
