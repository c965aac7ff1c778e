import type { ShopFigures } from '@guildmint/sdk';

/**
 * What the previous range's basket of shop purchases costs at this range's average prices, against what
 * it cost then (a Laspeyres index, 100 = unchanged), over items sold in both ranges; 1 decimal. Null
 * when no item sold in both.
 */
export function priceIndex(current: readonly ShopFigures[], previous: readonly ShopFigures[]): number | null {
  let now = 0;
  let then = 0;
  for (const base of previous) {
    const item = current.find((c) => c.item === base.item);
    if (!item || item.units === 0 || base.units === 0) continue;
    now += (Number(item.coins) / item.units) * base.units;
    then += Number(base.coins);
  }
  return then > 0 ? Math.round((now / then) * 1_000) / 10 : null;
}
