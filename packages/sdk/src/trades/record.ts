import { createHash } from 'node:crypto';

/** Where a trade stands: open until accepted, cancelled (by either side, or a side leaving) or expired. */
export type TradeStatus = 'open' | 'completed' | 'cancelled' | 'expired';

/** What one side puts in: coins (minor units) and items by shop item id. */
export interface TradeSide {
  coins: bigint;
  items: Record<string, number>;
}

/** A trade as members see it. */
export interface Trade {
  id: string;
  /** The member who proposed it: their side (`give`) sits in escrow while it is open. */
  from: string;
  /** The member asked to accept: their side (`take`) moves only when they accept. */
  to: string;
  give: TradeSide;
  take: TradeSide;
  /** Fees each side pays on top of the coins it sends (to `sink:trade`), fixed at the proposal. */
  fee: { give: bigint; take: bigint };
  status: TradeStatus;
  createdAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
  /** Who closed it: a member id, or `expiry`. */
  closedBy: string | null;
}

/** What the store keeps (state scope `trade`, json; value: expiry time in ms while open, 0 once closed). */
export interface TradeRecord {
  id: string;
  from: string;
  to: string;
  give: { coins: string; items: Record<string, number> };
  take: { coins: string; items: Record<string, number> };
  fee: { give: string; take: string };
  status: TradeStatus;
  createdAt: string;
  expiresAt: string;
  closedAt: string | null;
  closedBy: string | null;
}

/**
 * A trade's id from the proposal's key: the same key always names the same trade (a retried proposal
 * finds it), and the id fits an escrow account name whatever the key's length.
 */
export function tradeIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 24);
}

/** The system account that holds the proposer's side while the trade is open. */
export function escrowAccount(tradeId: string): string {
  return `system:trade.${tradeId}`;
}

export function toRecord(trade: Trade): TradeRecord {
  const side = (s: TradeSide) => ({ coins: s.coins.toString(), items: s.items });
  return {
    ...trade,
    give: side(trade.give),
    take: side(trade.take),
    fee: { give: trade.fee.give.toString(), take: trade.fee.take.toString() },
    createdAt: trade.createdAt.toISOString(),
    expiresAt: trade.expiresAt.toISOString(),
    closedAt: trade.closedAt?.toISOString() ?? null,
  };
}

export function fromRecord(record: TradeRecord): Trade {
  const side = (s: TradeRecord['give']) => ({ coins: BigInt(s.coins), items: s.items });
  return {
    ...record,
    give: side(record.give),
    take: side(record.take),
    fee: { give: BigInt(record.fee.give), take: BigInt(record.fee.take) },
    createdAt: new Date(record.createdAt),
    expiresAt: new Date(record.expiresAt),
    closedAt: record.closedAt === null ? null : new Date(record.closedAt),
  };
}
