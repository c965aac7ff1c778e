/** Where a guild's Stripe Connect account stands, as last re-read from Stripe. */
export type ConnectStatus = 'pending' | 'enabled' | 'restricted';

export interface ConnectAccountRecord {
  tenantId: string;
  accountId: string;
  status: ConnectStatus;
  updatedAt: Date;
}

/** A currency pack a guild's owner sells: a price in the currency's minor units, for `coins`. */
export interface PackRecord {
  id: string;
  tenantId: string;
  name: string;
  unitAmount: number;
  currency: string;
  coins: bigint;
  /** How many of this pack one member may buy per UTC day. */
  perMemberPerDay: number;
  createdAt: Date;
  archivedAt: Date | null;
}

/**
 * One Checkout link given to a member. `creating` holds the member's place under the daily limit while the
 * session is created (removed if that fails); the webhook moves it to `paid`, `failed` or `expired`.
 */
export type OrderStatus = 'creating' | 'open' | 'paid' | 'failed' | 'expired';

export interface OrderRecord {
  id: string;
  tenantId: string;
  memberId: string;
  packId: string;
  /** What the member gets, fixed when the link was made (a later change of the pack does not apply). */
  coins: bigint;
  unitAmount: number;
  currency: string;
  /** The connected account the session was created on. */
  accountId: string;
  sessionId: string | null;
  paymentIntentId: string | null;
  status: OrderStatus;
  createdAt: Date;
  updatedAt: Date;
}

export type OrderChange = Partial<Pick<OrderRecord, 'sessionId' | 'paymentIntentId'>> & {
  status: OrderStatus;
  updatedAt: Date;
};

/**
 * The control plane's currency-pack tables (cp_connect_accounts, cp_packs, cp_pack_orders), on libSQL or
 * PostgreSQL; the platform store's migrations create them. One interface, two implementations, one suite.
 */
export interface PackStore {
  connectAccount(tenantId: string): Promise<ConnectAccountRecord | null>;
  /** The tenant a connected account belongs to (null: not one of ours). */
  connectAccountByAccountId(accountId: string): Promise<ConnectAccountRecord | null>;
  /** Creates the tenant's row or records a newer status. */
  saveConnectAccount(record: ConnectAccountRecord): Promise<void>;
  /** The tenant's packs on sale, oldest first. */
  packs(tenantId: string): Promise<PackRecord[]>;
  insertPack(pack: PackRecord): Promise<void>;
  /** Takes a pack off sale (orders already made keep their terms); false if there was none. */
  archivePack(tenantId: string, packId: string, at: Date): Promise<boolean>;
  insertOrder(order: OrderRecord): Promise<void>;
  /** A member's orders of a pack since `since` in any of `statuses`. */
  countOrders(
    q: { tenantId: string; memberId: string; packId: string; since: Date },
    statuses: readonly OrderStatus[],
  ): Promise<number>;
  deleteOrder(id: string): Promise<void>;
  order(id: string): Promise<OrderRecord | null>;
  /** The tenant's orders, newest first (the payments list and the runbook's look-up). */
  orders(tenantId: string, limit: number): Promise<OrderRecord[]>;
  /** Changes an order unless its status is already `change.status`: true if this call changed it. */
  updateOrder(id: string, change: OrderChange): Promise<boolean>;
  close(): Promise<void>;
}
