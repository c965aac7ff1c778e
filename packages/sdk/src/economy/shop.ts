import type { EconomyConfig, ShopItemConfig } from '../config/schema.js';
import { memberAccount } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { canonicalMetadata } from '../ledger/normalize.js';
import { readScope, type StateEffect, type StateRef } from '../stores/types.js';
import { addFreezes, initialStreak, parseStreakState } from '../streaks/index.js';
import { webhookEvent } from '../webhooks/events.js';
import { bindKey, keyedTransfers, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer, type Receipt, receiptOf } from './receipt.js';

const MAX_QUANTITY = 100;

/** What a purchase did besides moving money: for the caller to act on (grant the role). */
export interface PurchaseEffects {
  item: string;
  quantity: number;
  /** Discord role ids the buyer should now be given. */
  roles: string[];
  /** Streak freezes added, by streak name. */
  streakFreezes: Record<string, number>;
}

export interface PurchaseReceipt extends Receipt {
  effects: PurchaseEffects;
}

export interface InventoryEntry {
  item: string;
  quantity: number;
}

/**
 * Buys `quantity` of a shop item: the payment to `sink:shop`, the stock, the member's limit, the
 * inventory and any streak freezes change together or not at all.
 */
export async function buy(
  ctx: TenantContext,
  userId: string,
  itemName: string,
  o: { quantity?: number; key?: string } = {},
): Promise<PurchaseReceipt> {
  const account = memberAccount(userId);
  if (typeof itemName !== 'string') throw invalidInput('item', 'must be an item id');
  const quantity = o.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw invalidInput('quantity', `must be a whole number from 1 to ${MAX_QUANTITY}`);
  }
  const bound = bindKey('buy', o.key, { userId, item: itemName, quantity });
  const { key } = bound;
  return runKeyed(ctx, bound, {
    member: userId,
    reads: (config) => streakFreezesOf(config, itemOf(config, itemName), userId).map((f) => f.ref),
    attempt: async ({ config, now, state }) => {
      const item = itemOf(config, itemName);
      if (!item?.enabled) throw new GuildmintError(ErrorCode.NOT_FOUND, `the shop has no item "${itemName}"`);
      const effects = [spendKey(bound), ...purchaseEffects(userId, itemName, item, quantity)];
      const streakFreezes: Record<string, number> = {};
      for (const { streak, count, streakConfig, ref } of streakFreezesOf(config, item, userId)) {
        const row = state(ref.scope, ref.key);
        const current = row?.json ? parseStreakState(JSON.parse(row.json)) : initialStreak();
        const wanted = count * quantity;
        const { state: next, added } = addFreezes(current, streakConfig, wanted);
        if (added < wanted) {
          // Never sell freezes the member cannot hold: refuse rather than charge for fewer.
          throw new GuildmintError(
            ErrorCode.LIMIT_REACHED,
            `you can hold ${added} more freeze(s) for "${streak}", not ${wanted}`,
          );
        }
        streakFreezes[streak] = added;
        effects.push({
          kind: 'set',
          ...ref,
          value: BigInt(next.current),
          json: JSON.stringify(next),
          version: row?.version ?? 0n,
          fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'your streak changed during the purchase' },
        });
      }
      const price = BigInt(item.price) * BigInt(quantity);
      const roles = item.effects.flatMap((e) => (e.type === 'role' ? [e.roleId] : []));
      // What the purchase did is kept with it, so a retried interaction can still grant the role.
      const metadata = canonicalMetadata({ item: itemName, quantity, roles, streakFreezes });
      const stored = await commitTransfers(
        ctx,
        [newTransfer(key, account, 'sink:shop', price, 'sink.shop', metadata)],
        {
          effects,
          events: [
            webhookEvent(ctx.tenant, 'shop.purchased', now, {
              id: key,
              userId,
              item: itemName,
              quantity,
              price,
            }),
          ],
        },
      );
      return {
        ...receiptOf(stored, false),
        effects: { item: itemName, quantity, roles, streakFreezes },
      };
    },
    replay: async () => {
      const stored = await keyedTransfers(ctx, key);
      const meta = JSON.parse(stored[0]?.metadata ?? '{}') as Partial<PurchaseEffects>;
      const effects: PurchaseEffects = {
        item: meta.item ?? itemName,
        quantity: meta.quantity ?? 1,
        roles: meta.roles ?? [],
        streakFreezes: meta.streakFreezes ?? {},
      };
      return { ...receiptOf(stored, true), effects };
    },
  });
}

function itemOf(config: EconomyConfig, name: string): ShopItemConfig | undefined {
  return Object.hasOwn(config.shop.items, name) ? config.shop.items[name] : undefined;
}

/** The streak freezes an item adds (of streaks the config has), with the streak row each changes. */
function streakFreezesOf(config: EconomyConfig, item: ShopItemConfig | undefined, userId: string) {
  return (item?.effects ?? []).flatMap((effect) => {
    const streakConfig = effect.type === 'streakFreeze' ? config.streaks[effect.streak] : undefined;
    if (effect.type !== 'streakFreeze' || !streakConfig) return [];
    const ref: StateRef = { scope: STATE.streak, key: `${effect.streak}:${userId}` };
    return [{ streak: effect.streak, count: effect.count, streakConfig, ref }];
  });
}

function purchaseEffects(
  userId: string,
  itemName: string,
  item: ShopItemConfig,
  quantity: number,
): StateEffect[] {
  const q = BigInt(quantity);
  const effects: StateEffect[] = [
    {
      kind: 'add',
      scope: STATE.inventory,
      key: `${userId}:${itemName}`,
      delta: q,
      fail: { code: ErrorCode.LIMIT_REACHED, message: 'inventory limit reached' },
    },
  ];
  // Sales are counted for every item (`stock()` reports them); only a stocked item has a ceiling.
  effects.push({
    kind: 'add',
    scope: STATE.stock,
    key: itemName,
    delta: q,
    ...(item.stock !== null && { max: BigInt(item.stock) }),
    fail: { code: ErrorCode.OUT_OF_STOCK, message: `"${item.name}" is sold out` },
  });
  if (item.perMemberLimit !== null) {
    effects.push({
      kind: 'add',
      scope: STATE.bought,
      key: `${userId}:${itemName}`,
      delta: q,
      max: BigInt(item.perMemberLimit),
      fail: {
        code: ErrorCode.LIMIT_REACHED,
        message: `you may own at most ${item.perMemberLimit} of "${item.name}"`,
      },
    });
  }
  return effects;
}

/** Items a member holds (quantity > 0), by item id. */
export async function inventory(ctx: TenantContext, userId: string): Promise<InventoryEntry[]> {
  memberAccount(userId);
  const rows = await ctx.store.scanState(ctx.tenant, STATE.inventory, `${userId}:`);
  return rows
    .filter((row) => row.value > 0n)
    .map((row) => ({ item: row.key.slice(userId.length + 1), quantity: Number(row.value) }));
}

/**
 * Uses up one unit of a consumable item; returns how many are left. The key (the interaction id, or
 * one made before the first attempt) is spent with the item: a retried call uses nothing more and
 * answers `replayed: true`.
 */
export async function useItem(
  ctx: TenantContext,
  userId: string,
  itemName: string,
  o: { key?: string } = {},
): Promise<{ remaining: number; replayed: boolean }> {
  memberAccount(userId);
  if (typeof itemName !== 'string') throw invalidInput('item', 'must be an item id');
  const bound = bindKey('use', o.key, { userId, item: itemName });
  const key = `${userId}:${itemName}`;
  const remaining = async () =>
    Number((await readScope(ctx.store, ctx.tenant, STATE.inventory, [key])).get(key)?.value ?? 0n);
  return runKeyed<{ remaining: number; replayed: boolean }>(ctx, bound, {
    member: userId,
    attempt: async ({ config }) => {
      const item = itemOf(config, itemName);
      if (!item) throw new GuildmintError(ErrorCode.NOT_FOUND, `the shop has no item "${itemName}"`);
      if (!item.consumable) throw invalidInput('item', `"${item.name}" is not something you can use up`);
      const effects: StateEffect[] = [
        spendKey(bound),
        {
          kind: 'add',
          scope: STATE.inventory,
          key,
          delta: -1n,
          min: 0n,
          fail: { code: ErrorCode.NOT_FOUND, message: `you have no "${item.name}" left` },
        },
      ];
      await ctx.submit({ transfers: [], batchId: null, effects });
      return { remaining: await remaining(), replayed: false };
    },
    replay: async () => ({ remaining: await remaining(), replayed: true }),
  });
}

/** Units sold and left of every shop item (left null: unlimited); sales are counted for unlimited items too. */
export async function stock(
  ctx: TenantContext,
): Promise<Record<string, { sold: number; left: number | null }>> {
  const { config } = await ctx.config();
  const names = Object.keys(config.shop.items);
  const rows = await readScope(ctx.store, ctx.tenant, STATE.stock, names);
  return Object.fromEntries(
    names.map((name) => {
      const sold = Number(rows.get(name)?.value ?? 0n);
      const limit = config.shop.items[name]!.stock;
      return [name, { sold, left: limit === null ? null : Math.max(0, limit - sold) }];
    }),
  );
}
