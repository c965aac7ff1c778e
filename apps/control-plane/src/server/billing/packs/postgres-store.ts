import { and, asc, count, desc, eq, gte, inArray, isNull, ne } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { connectAccounts, packOrders, packs } from '../../db/schema/packs.pg';
import { orderOf, orderRow, packOf, packRow } from './rows';
import type {
  ConnectAccountRecord,
  OrderChange,
  OrderRecord,
  OrderStatus,
  PackRecord,
  PackStore,
} from './store';

/** The pack tables in the platform's PostgreSQL database, on a small pool of their own. */
export class PostgresPackStore implements PackStore {
  private readonly pool: pg.Pool;
  private readonly db: NodePgDatabase;

  constructor(url: string, o: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: o.max ?? 5 });
    // An idle connection dropped by the server must not crash the app: the next query reconnects.
    this.pool.on('error', () => {});
    this.db = drizzle(this.pool);
  }

  async connectAccount(tenantId: string) {
    const [row] = await this.db.select().from(connectAccounts).where(eq(connectAccounts.tenantId, tenantId));
    return row ?? null;
  }

  async connectAccountByAccountId(accountId: string) {
    const [row] = await this.db
      .select()
      .from(connectAccounts)
      .where(eq(connectAccounts.accountId, accountId));
    return row ?? null;
  }

  async saveConnectAccount(record: ConnectAccountRecord): Promise<void> {
    await this.db
      .insert(connectAccounts)
      .values(record)
      .onConflictDoUpdate({
        target: connectAccounts.tenantId,
        set: { accountId: record.accountId, status: record.status, updatedAt: record.updatedAt },
      });
  }

  async packs(tenantId: string) {
    const rows = await this.db
      .select()
      .from(packs)
      .where(and(eq(packs.tenantId, tenantId), isNull(packs.archivedAt)))
      .orderBy(asc(packs.createdAt), asc(packs.id));
    return rows.map(packOf);
  }

  async insertPack(pack: PackRecord): Promise<void> {
    await this.db.insert(packs).values(packRow(pack));
  }

  async archivePack(tenantId: string, packId: string, at: Date): Promise<boolean> {
    const done = await this.db
      .update(packs)
      .set({ archivedAt: at })
      .where(and(eq(packs.tenantId, tenantId), eq(packs.id, packId), isNull(packs.archivedAt)))
      .returning({ id: packs.id });
    return done.length > 0;
  }

  async insertOrder(order: OrderRecord): Promise<void> {
    await this.db.insert(packOrders).values(orderRow(order));
  }

  async countOrders(
    q: { tenantId: string; memberId: string; packId: string; since: Date },
    statuses: readonly OrderStatus[],
  ) {
    const [row] = await this.db
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
  }

  async deleteOrder(id: string): Promise<void> {
    await this.db.delete(packOrders).where(eq(packOrders.id, id));
  }

  async order(id: string) {
    const [row] = await this.db.select().from(packOrders).where(eq(packOrders.id, id));
    return row ? orderOf(row) : null;
  }

  async orders(tenantId: string, limit: number) {
    const rows = await this.db
      .select()
      .from(packOrders)
      .where(eq(packOrders.tenantId, tenantId))
      .orderBy(desc(packOrders.createdAt), desc(packOrders.id))
      .limit(limit);
    return rows.map(orderOf);
  }

  async updateOrder(id: string, change: OrderChange): Promise<boolean> {
    const done = await this.db
      .update(packOrders)
      .set(change)
      .where(and(eq(packOrders.id, id), ne(packOrders.status, change.status)))
      .returning({ id: packOrders.id });
    return done.length > 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
