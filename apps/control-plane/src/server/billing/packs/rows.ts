import type { OrderRecord, PackRecord } from './store';

// Rows of either dialect (the same columns) as records and back: coins are bigint minor units, stored as
// decimal text so no driver rounds them.

export type PackRow = Omit<PackRecord, 'coins'> & { coins: string };
export type OrderRow = Omit<OrderRecord, 'coins'> & { coins: string };

export const packOf = (row: PackRow): PackRecord => ({ ...row, coins: BigInt(row.coins) });
export const packRow = (pack: PackRecord): PackRow => ({ ...pack, coins: pack.coins.toString() });
export const orderOf = (row: OrderRow): OrderRecord => ({
  ...row,
  coins: BigInt(row.coins),
});
export const orderRow = (order: OrderRecord): OrderRow => ({ ...order, coins: order.coins.toString() });
