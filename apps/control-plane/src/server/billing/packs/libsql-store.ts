import { type Client, createClient } from '@libsql/client';
import { and, asc, count, desc, eq, gte, inArray, isNull, ne } from 'drizzle-orm';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { connectAccounts, packOrders, packs } from '../../db/schema/packs.sqlite';
import { orderOf, orderRow, packOf, packRow } from './rows';
import type {
  ConnectAccountRecord,
  OrderChange,
  OrderRecord,
  OrderStatus,
  PackRecord,
  PackStore,
} from './store';

/**
 * The pack tables in the platform's libSQL file, on a connection of their own; writes go through one
 * in-process queue (two write transactions at once on one client fail at once with SQLITE_BUSY).
 */
export class LibsqlPackStore implements PackStore {
  private readonly client: Client;
  private readonly db: LibSQLDatabase;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly ready: Promise<void>;

  constructor(url: string) {
    this.client = createClient({ url });
    this.db = drizzle(this.client);
    this.ready = this.client.execute('PRAGMA busy_timeout = 5000').then(() => undefined);
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(() => this.ready).then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  async connectAccount(tenantId: string) {
    await this.ready;
    const [row] = await this.db.select().from(connectAccounts).where(eq(connectAccounts.tenantId, tenantId));
    return row ?? null;
  }

  async connectAccountByAccountId(accountId: string) {
    await this.ready;
    const [row] = await this.db
      .select()
      .from(connectAccounts)
      .where(eq(connectAccounts.accountId, accountId));
    return row ?? null;
  }

  saveConnectAccount(record: ConnectAccountRecord): Promise<void> {
    return this.write(async () => {
      await this.db
        .insert(connectAccounts)
        .values(record)
        .onConflictDoUpdate({
          target: connectAccounts.tenantId,
          set: { accountId: record.accountId, status: record.status, updatedAt: record.updatedAt },
        });
    });
  }

  async packs(tenantId: string) {
    await this.ready;
    const rows = await this.db
      .select()
      .from(packs)
      .where(and(eq(packs.tenantId, tenantId), isNull(packs.archivedAt)))
      .orderBy(asc(packs.createdAt), asc(packs.id));
    return rows.map(packOf);
  }

  insertPack(pack: PackRecord): Promise<void> {
    return this.write(async () => {
      await this.db.insert(packs).values(packRow(pack));
    });
  }

  archivePack(tenantId: string, packId: string, at: Date): Promise<boolean> {
    return this.write(async () => {
      const done = await this.db
        .update(packs)
        .set({ archivedAt: at })
        .where(and(eq(packs.tenantId, tenantId), eq(packs.id, packId), isNull(packs.archivedAt)))
        .returning({ id: packs.id });
      return done.length > 0;
    });
  }

  insertOrder(order: OrderRecord): Promise<void> {
    return this.write(async () => {
      await this.db.insert(packOrders).values(orderRow(order));
    });
  }

  async countOrders(
    q: { tenantId: string; memberId: string; packId: string; since: Date },
    statuses: readonly OrderStatus[],
  ) {
    await this.ready;
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

  deleteOrder(id: string): Promise<void> {
    return this.write(async () => {
      await this.db.delete(packOrders).where(eq(packOrders.id, id));
    });
  }

  async order(id: string) {
    await this.ready;
    const [row] = await this.db.select().from(packOrders).where(eq(packOrders.id, id));
    return row ? orderOf(row) : null;
  }

  async orders(tenantId: string, limit: number) {
    await this.ready;
    const rows = await this.db
      .select()
      .from(packOrders)
      .where(eq(packOrders.tenantId, tenantId))
      .orderBy(desc(packOrders.createdAt), desc(packOrders.id))
      .limit(limit);
    return rows.map(orderOf);
  }

  updateOrder(id: string, change: OrderChange): Promise<boolean> {
    return this.write(async () => {
      const done = await this.db
        .update(packOrders)
        .set(change)
        .where(and(eq(packOrders.id, id), ne(packOrders.status, change.status)))
        .returning({ id: packOrders.id });
      return done.length > 0;
    });
  }

  async close(): Promise<void> {
    await this.tail;
    this.client.close();
  }
}
