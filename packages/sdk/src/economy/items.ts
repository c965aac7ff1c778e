import type { EconomyConfig, ShopItemConfig } from '../config/schema.js';
import { memberAccount } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { canonicalMetadata } from '../ledger/normalize.js';
import type { StateEffect } from '../stores/types.js';
import { bindKey, keyedTransfers, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer, type Receipt, receiptOf } from './receipt.js';

const MAX_QUANTITY = 100;

export interface GiftResult {
  item: string;
  quantity: number;
  from: string;
  to: string;
  replayed: boolean;
}

/** Gives `quantity` of an item from one member's inventory to another's, both or neither. */
export async function gift(
  ctx: TenantContext,
  input: { from: string; to: string; item: string; quantity?: number; key?: string },
): Promise<GiftResult> {
  if (typeof input !== 'object' || input === null) throw invalidInput('input', 'must be { from, to, item }');
  const { from, to, item: itemName } = input;
  const quantity = quantityOf(input.quantity);
  if (memberAccount(from, 'from') === memberAccount(to, 'to')) {
    throw new GuildmintError(ErrorCode.INVALID_TRANSFER, 'you cannot gift yourself');
  }
  if (typeof itemName !== 'string') throw invalidInput('item', 'must be an item id');
  const bound = bindKey('gift', input.key, { from, to, item: itemName, quantity });
  const result = { item: itemName, quantity, from, to };
  return runKeyed<GiftResult>(ctx, bound, {
    member: from,
    attempt: async ({ config }) => {
      if (!config.shop.gifts) throw new GuildmintError(ErrorCode.NOT_FOUND, 'gifts are off in this server');
      const item = tradable(config, itemName, 'gifted');
      const effects: StateEffect[] = [
        spendKey(bound),
        take(from, itemName, item, quantity),
        put(to, itemName, quantity),
      ];
      await ctx.submit({ transfers: [], batchId: null, effects });
      return { ...result, replayed: false };
    },
    replay: () => ({ ...result, replayed: true }),
  });
}

/**
 * Sells `quantity` of an item back to the shop at `shop.sellBackBps` of its price (floored per unit),
 * paid out of `sink:shop`: what the shop burned on the purchase comes back, so it counts as less burned.
 */
export async function sell(
  ctx: TenantContext,
  userId: string,
  itemName: string,
  o: { quantity?: number; key?: string } = {},
): Promise<Receipt & { item: string; quantity: number }> {
  const account = memberAccount(userId);
  if (typeof itemName !== 'string') throw invalidInput('item', 'must be an item id');
  const quantity = quantityOf(o.quantity);
  const bound = bindKey('sell', o.key, { userId, item: itemName, quantity });
  return runKeyed(ctx, bound, {
    member: userId,
    attempt: async ({ config }) => {
      if (config.shop.sellBackBps === 0)
        throw new GuildmintError(ErrorCode.NOT_FOUND, 'the shop buys nothing back here');
      const item = tradable(config, itemName, 'sold back');
      const unitPrice = (BigInt(item.price) * BigInt(config.shop.sellBackBps)) / 10_000n;
      if (unitPrice === 0n) throw invalidInput('item', `"${item.name}" is worth nothing to the shop`);
      const metadata = canonicalMetadata({ item: itemName, quantity });
      const stored = await commitTransfers(
        ctx,
        [
          newTransfer(
            bound.key,
            'sink:shop',
            account,
            unitPrice * BigInt(quantity),
            'shop.sellback',
            metadata,
          ),
        ],
        { effects: [spendKey(bound), take(userId, itemName, item, quantity)] },
      );
      return { ...receiptOf(stored, false), item: itemName, quantity };
    },
    replay: async () => ({
      ...receiptOf(await keyedTransfers(ctx, bound.key), true),
      item: itemName,
      quantity,
    }),
  });
}

export function quantityOf(value: unknown): number {
  const quantity = value ?? 1;
  if (
    typeof quantity !== 'number' ||
    !Number.isInteger(quantity) ||
    quantity < 1 ||
    quantity > MAX_QUANTITY
  ) {
    throw invalidInput('quantity', `must be a whole number from 1 to ${MAX_QUANTITY}`);
  }
  return quantity;
}

/** Whether an item may be gifted or sold back: a role its purchase granted stays with the buyer, so not then. */
export function canChangeHands(item: Pick<ShopItemConfig, 'effects'>): boolean {
  return !item.effects.some((effect) => effect.type === 'role');
}

/** The shop item, if it may change hands (`canChangeHands`). */
export function tradable(config: EconomyConfig, name: string, verb: string): ShopItemConfig {
  const item = Object.hasOwn(config.shop.items, name) ? config.shop.items[name] : undefined;
  if (!item) throw new GuildmintError(ErrorCode.NOT_FOUND, `the shop has no item "${name}"`);
  if (!canChangeHands(item)) {
    throw invalidInput('item', `"${item.name}" gave its buyer a role, so it cannot be ${verb}`);
  }
  return item;
}

export function take(userId: string, itemName: string, item: ShopItemConfig, quantity: number): StateEffect {
  return {
    kind: 'add',
    scope: STATE.inventory,
    key: `${userId}:${itemName}`,
    delta: -BigInt(quantity),
    min: 0n,
    fail: { code: ErrorCode.NOT_FOUND, message: `you do not have ${quantity} "${item.name}"` },
  };
}

/** Adds `quantity` of an item to a member's inventory (a gift or trade arriving). */
export function put(userId: string, itemName: string, quantity: number): StateEffect {
  return {
    kind: 'add',
    scope: STATE.inventory,
    key: `${userId}:${itemName}`,
    delta: BigInt(quantity),
    fail: { code: ErrorCode.LIMIT_REACHED, message: 'their inventory is full' },
  };
}
