import { and, asc, count, desc, eq, gte, inArray, isNull, ne } from 'drizzle-orm';
import { type DrizzleHandle, openDrizzleHandle } from '../../db/drizzle-handle';
import * as pgTables from '../../db/schema/packs.pg';
import * as sqliteTables from '../../db/schema/packs.sqlite';
import { orderOf, orderRow, packOf, packRow } from './rows';
import type {
  ConnectAccountRecord,
  OrderChange,
  OrderRecord,
  OrderStatus,
  PackRecord,
  PackStore,
} from './store';

type Tables = Pick<typeof pgTables, 'connectAccounts' | 'packs' | 'packOrders'>;

/** The pack tables in the platform database, one implementation for libSQL and PostgreSQL (see DrizzleHandle). */
class DrizzlePackStore implements PackStore {
  constructor(private readonly h: DrizzleHandle<Tables>) {}

  connectAccount(tenantId: string) {
    const { connectAccounts } = this.h.tables;
    return this.h.read(async () => {
      const [row] = await this.h.db
        .select()
        .from(connectAccounts)
        .where(eq(connectAccounts.tenantId, tenantId));
      return row ?? null;
    });
  }

  connectAccountByAccountId(accountId: string) {
    const { connectAccounts } = this.h.tables;
    return this.h.read(async () => {
      const [row] = await this.h.db
        .select()
        .from(connectAccounts)
        .where(eq(connectAccounts.accountId, accountId));
      return row ?? null;
    });
  }

  saveConnectAccount(record: ConnectAccountRecord): Promise<void> {
    const { connectAccounts } = this.h.tables;
    return this.h.write(async () => {
      await this.h.db
        .insert(connectAccounts)
        .values(record)
        .onConflictDoUpdate({
          target: connectAccounts.tenantId,
          set: { accountId: record.accountId, status: record.status, updatedAt: record.updatedAt },
        });
    });
  }

  packs(tenantId: string) {
    const { packs } = this.h.tables;
    return this.h.read(async () => {
      const rows = await this.h.db
        .select()
        .from(packs)
        .where(and(eq(packs.tenantId, tenantId), isNull(packs.archivedAt)))
        .orderBy(asc(packs.createdAt), asc(packs.id));
      return rows.map(packOf);
    });
  }

  insertPack(pack: PackRecord): Promise<void> {
    return this.h.write(async () => {
      await this.h.db.insert(this.h.tables.packs).values(packRow(pack));
    });
  }

  archivePack(tenantId: string, packId: string, at: Date): Promise<boolean> {
    const { packs } = this.h.tables;
    return this.h.write(async () => {
      const done = await this.h.db
        .update(packs)
        .set({ archivedAt: at })
        .where(and(eq(packs.tenantId, tenantId), eq(packs.id, packId), isNull(packs.archivedAt)))
        .returning({ id: packs.id });
      return done.length > 0;
    });
  }

  insertOrder(order: OrderRecord): Promise<void> {
    return this.h.write(async () => {
      await this.h.db.insert(this.h.tables.packOrders).values(orderRow(order));
    });
  }

  countOrders(
    q: { tenantId: string; memberId: string; packId: string; since: Date },
    statuses: readonly OrderStatus[],
  ) {
    const { packOrders } = this.h.tables;
    return this.h.read(async () => {
      const [row] = await this.h.db
        .select({ n: count() })
        .from(packOrders)
        .where(
          and(
            eq(packOrders.tenantId, q.tenantId),
            eq(packOrders.memberId, q.memberId),
            eq(packOrders.packId, q.packId),
            gte(packOrders.createdAt, q.since),
            inArray(packOrders.status, [...statuses]),
          ),
        );
      return row?.n ?? 0;
    });
  }

  deleteOrder(id: string): Promise<void> {
    const { packOrders } = this.h.tables;
    return this.h.write(async () => {
      await this.h.db.delete(packOrders).where(eq(packOrders.id, id));
    });
  }

  order(id: string) {
    const { packOrders } = this.h.tables;
    return this.h.read(async () => {
      const [row] = await this.h.db.select().from(packOrders).where(eq(packOrders.id, id));
      return row ? orderOf(row) : null;
    });
  }

  orders(tenantId: string, limit: number) {
    const { packOrders } = this.h.tables;
    return this.h.read(async () => {
      const rows = await this.h.db
        .select()
        .from(packOrders)
        .where(eq(packOrders.tenantId, tenantId))
        .orderBy(desc(packOrders.createdAt), desc(packOrders.id))
        .limit(limit);
      return rows.map(orderOf);
    });
  }

  updateOrder(id: string, change: OrderChange): Promise<boolean> {
    const { packOrders } = this.h.tables;
    return this.h.write(async () => {
      const done = await this.h.db
        .update(packOrders)
        .set(change)
        .where(and(eq(packOrders.id, id), ne(packOrders.status, change.status)))
        .returning({ id: packOrders.id });
      return done.length > 0;
    });
  }

  close(): Promise<void> {
    return this.h.close();
  }
}

/** The currency-pack tables in the platform database at `url` (its migrations create them). */
export function openPackStore(url: string): PackStore {
  return new DrizzlePackStore(
    openDrizzleHandle(url, { pg: pgTables, sqlite: sqliteTables }, { what: 'currency packs' }),
  );
}
