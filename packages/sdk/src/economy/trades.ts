import type { EconomyConfig } from '../config/schema.js';
import { memberAccount } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput, isGuildmintError } from '../errors.js';
import { assertAmount } from '../ledger/amounts.js';
import { canonicalMetadata, derivedId, type NewTransfer } from '../ledger/normalize.js';
import { readScope, type StateEffect, type StateRow } from '../stores/types.js';
import {
  escrowAccount,
  fromRecord,
  type Trade,
  type TradeSide,
  type TradeStatus,
  toRecord,
  tradeIdOf,
} from '../trades/record.js';
import { put, quantityOf, take, tradable } from './items.js';
import { type BoundKey, bindKey, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer } from './receipt.js';

/** Where trade fees go: destroyed, like every sink. */
const TRADE_SINK = 'sink:trade';
const MAX_ITEM_KINDS = 10;

/** One side of a proposal as a caller writes it: both parts optional. */
export interface TradeSideInput {
  coins?: bigint;
  items?: Record<string, number>;
}

export interface ProposeTradeInput {
  /** The proposer: their side goes into escrow now. */
  from: string;
  /** The member asked to accept. */
  to: string;
  /** What the proposer gives. */
  give?: TradeSideInput;
  /** What the proposer asks for in return. */
  take?: TradeSideInput;
  /** The proposal's idempotency key (the interaction id); the trade's id is derived from it. */
  key?: string;
}

export type TradeResult = Trade & { replayed: boolean };

/**
 * Proposes a trade: the proposer's coins (and fee) move to the trade's escrow account and their items
 * leave their inventory, in one commit; the other member's side moves only when they accept.
 */
export async function proposeTrade(ctx: TenantContext, input: ProposeTradeInput): Promise<TradeResult> {
  if (typeof input !== 'object' || input === null)
    throw invalidInput('input', 'must be { from, to, give, take }');
  const from = memberAccount(input.from, 'from');
  if (from === memberAccount(input.to, 'to')) {
    throw new GuildmintError(ErrorCode.INVALID_TRANSFER, 'you cannot trade with yourself');
  }
  const give = sideOf(input.give, 'give');
  const take_ = sideOf(input.take, 'take');
  if (isEmpty(give) && isEmpty(take_)) throw invalidInput('give', 'a trade must move something');
  const bound = bindKey('trade.propose', input.key, {
    from: input.from,
    to: input.to,
    give: sideArgs(give),
    take: sideArgs(take_),
  });
  const id = tradeIdOf(bound.key);
  return runKeyed(ctx, bound, {
    member: input.from,
    attempt: async ({ config, now }) => {
      const rules = tradeRules(config);
      for (const side of [give, take_]) {
        for (const name of Object.keys(side.items)) tradable(config, name, 'traded');
      }
      // Floor: a fee never rounds up against the member paying it.
      const feeOf = (coins: bigint) => (coins * BigInt(rules.feeBps)) / 10_000n;
      const trade: Trade = {
        id,
        from: input.from,
        to: input.to,
        give,
        take: take_,
        fee: { give: feeOf(give.coins), take: feeOf(take_.coins) },
        status: 'open',
        createdAt: now,
        expiresAt: new Date(now.getTime() + rules.expirySeconds * 1000),
        closedAt: null,
        closedBy: null,
      };
      const escrowed = give.coins + trade.fee.give;
      const transfers =
        escrowed > 0n
          ? [newTransfer(bound.key, from, escrowAccount(id), escrowed, 'trade.escrow', meta(id))]
          : [];
      const effects: StateEffect[] = [
        spendKey(bound),
        ...Object.entries(give.items).map(([name, quantity]) =>
          take(input.from, name, tradable(config, name, 'traded'), quantity),
        ),
        tradeEffect(trade, 0n),
      ];
      await commitTransfers(ctx, transfers, { effects });
      return { ...trade, replayed: false };
    },
    replay: () => trade(ctx, id, true),
  });
}

/**
 * The asked member accepts: the escrow goes to them, their side goes to the proposer, fees to
 * `sink:trade`, all in one commit guarded by the trade's version, so a trade accepted twice (even at
 * the same moment, with two keys) completes exactly once. If their coins or items are gone, nothing
 * moves and the trade stays open.
 */
export async function acceptTrade(
  ctx: TenantContext,
  tradeId: string,
  o: { userId: string; key?: string },
): Promise<TradeResult> {
  const bound = tradeKey('trade.accept', tradeId, o);
  return runKeyed(ctx, bound, {
    member: o.userId,
    reads: () => [{ scope: STATE.trade, key: tradeId }],
    attempt: async ({ config, now, state }) => {
      const { trade, version } = openTrade(state(STATE.trade, tradeId), tradeId);
      if (trade.to !== o.userId) {
        throw new GuildmintError(
          ErrorCode.FORBIDDEN,
          'only the member this trade was offered to can accept it',
        );
      }
      if (now.getTime() >= trade.expiresAt.getTime()) {
        throw new GuildmintError(
          ErrorCode.NOT_FOUND,
          'this trade has expired; its escrow goes back to the proposer',
        );
      }
      tradeRules(config);
      const escrow = escrowAccount(trade.id);
      const to = memberAccount(trade.to);
      const from = memberAccount(trade.from);
      const transfers: NewTransfer[] = [];
      const line = (part: string, src: string, dst: string, amount: bigint, code: string) => {
        if (amount > 0n)
          transfers.push(newTransfer(derivedId(bound.key, part), src, dst, amount, code, meta(trade.id)));
      };
      line('release', escrow, to, trade.give.coins, 'trade.release');
      line('fee-give', escrow, TRADE_SINK, trade.fee.give, 'sink.trade');
      line('payment', to, from, trade.take.coins, 'trade.payment');
      line('fee-take', to, TRADE_SINK, trade.fee.take, 'sink.trade');
      const effects: StateEffect[] = [
        spendKey(bound),
        ...Object.entries(trade.take.items).flatMap(([name, quantity]) => [
          take(trade.to, name, tradable(config, name, 'traded'), quantity),
          put(trade.from, name, quantity),
        ]),
        ...Object.entries(trade.give.items).map(([name, quantity]) => put(trade.to, name, quantity)),
        tradeEffect(closed(trade, 'completed', o.userId, now), version),
      ];
      try {
        await commitTransfers(ctx, transfers, { effects });
      } catch (error) {
        if (isGuildmintError(error, ErrorCode.INSUFFICIENT_FUNDS)) {
          throw new GuildmintError(
            ErrorCode.INSUFFICIENT_FUNDS,
            'you no longer have the coins this trade asks of you (with its fee)',
          );
        }
        throw error;
      }
      return { ...closed(trade, 'completed', o.userId, now), replayed: false };
    },
    replay: () => trade(ctx, tradeId, true),
  });
}

/** Either side calls it off (the asked member declines): the escrow goes back to the proposer. */
export async function cancelTrade(
  ctx: TenantContext,
  tradeId: string,
  o: { userId: string; key?: string },
): Promise<TradeResult> {
  return closeTrade(ctx, tradeId, tradeKey('trade.cancel', tradeId, o), o.userId, true);
}

/** Returns the escrow of every open trade past its expiry; returns how many (run it periodically). */
export async function settleExpiredTrades(ctx: TenantContext): Promise<number> {
  const now = BigInt(ctx.clock.now().getTime());
  // No key: two sweepers racing for one trade are settled by its version guard, the loser finds it closed.
  return settleEach(
    ctx,
    (row) => row.value <= now,
    (id) => closeTrade(ctx, id, bindKey('trade.expire', undefined, { tradeId: id }), 'expiry'),
  );
}

/** Cancels every open trade a member is part of (they left the server); returns how many. */
export async function abandonTrades(ctx: TenantContext, userId: string): Promise<number> {
  memberAccount(userId);
  return settleEach(
    ctx,
    (row) => {
      const { from, to } = JSON.parse(row.json!) as { from: string; to: string };
      return from === userId || to === userId;
    },
    (id) => closeTrade(ctx, id, bindKey('trade.abandon', undefined, { tradeId: id, userId }), userId, false),
  );
}

/** Every open trade (expired ones too until the sweeper returns them), for a caller to check its members. */
export async function openTrades(ctx: TenantContext): Promise<Trade[]> {
  const rows = await ctx.store.scanState(ctx.tenant, STATE.trade, '');
  return rows.filter((row) => row.value !== 0n && row.json !== null).map((row) => tradeOf(row, row.key));
}

/** A trade by its id (NOT_FOUND if there is none). */
export async function trade(ctx: TenantContext, tradeId: string, replayed = false): Promise<TradeResult> {
  assertTradeId(tradeId);
  const row = (await readScope(ctx.store, ctx.tenant, STATE.trade, [tradeId])).get(tradeId);
  return { ...tradeOf(row, tradeId), replayed };
}

/** Open trades matching `pick`, each closed by `close`; one already closed meanwhile is skipped. */
async function settleEach(
  ctx: TenantContext,
  pick: (row: StateRow) => boolean,
  close: (id: string) => Promise<unknown>,
): Promise<number> {
  const open = await ctx.store.scanState(ctx.tenant, STATE.trade, '');
  let settled = 0;
  for (const row of open) {
    if (row.value === 0n || row.json === null || !pick(row)) continue;
    try {
      await close(row.key);
      settled++;
    } catch (error) {
      // Closed meanwhile (accepted, cancelled, or by another sweeper): nothing to do.
      if (!isGuildmintError(error, ErrorCode.NOT_FOUND)) throw error;
    }
  }
  return settled;
}

/**
 * Cancel (by a side), abandon (a side left) or expire (`by` = 'expiry'): the proposer gets back what
 * sits in escrow. Only a member's own cancel counts against their rate limit.
 */
function closeTrade(
  ctx: TenantContext,
  tradeId: string,
  bound: BoundKey,
  by: string,
  limited = false,
): Promise<TradeResult> {
  const expiring = by === 'expiry';
  return runKeyed(ctx, bound, {
    ...(limited && { member: by }),
    reads: () => [{ scope: STATE.trade, key: tradeId }],
    attempt: async ({ now, state }) => {
      const { trade, version } = openTrade(state(STATE.trade, tradeId), tradeId);
      if (!expiring && by !== trade.from && by !== trade.to) {
        throw new GuildmintError(ErrorCode.FORBIDDEN, 'only the two members of a trade can call it off');
      }
      if (expiring && now.getTime() < trade.expiresAt.getTime()) {
        throw new GuildmintError(ErrorCode.NOT_FOUND, 'this trade has not expired yet');
      }
      const status: TradeStatus = expiring ? 'expired' : 'cancelled';
      const escrowed = trade.give.coins + trade.fee.give;
      const transfers =
        escrowed > 0n
          ? [
              newTransfer(
                derivedId(bound.key, 'refund'),
                escrowAccount(trade.id),
                memberAccount(trade.from),
                escrowed,
                'trade.refund',
                meta(trade.id),
              ),
            ]
          : [];
      const effects: StateEffect[] = [
        spendKey(bound),
        ...Object.entries(trade.give.items).map(([name, quantity]) => put(trade.from, name, quantity)),
        tradeEffect(closed(trade, status, by, now), version),
      ];
      await commitTransfers(ctx, transfers, { effects });
      return { ...closed(trade, status, by, now), replayed: false };
    },
    replay: () => trade(ctx, tradeId, true),
  });
}

function tradeRules(config: EconomyConfig): EconomyConfig['trades'] {
  if (!config.trades.enabled) throw new GuildmintError(ErrorCode.NOT_FOUND, 'trades are off in this server');
  return config.trades;
}

function tradeOf(row: StateRow | undefined, tradeId: string): Trade {
  if (!row?.json) throw new GuildmintError(ErrorCode.NOT_FOUND, `there is no trade ${tradeId} here`);
  return fromRecord(JSON.parse(row.json));
}

/** The trade if it is still open, with the version its closing must guard. */
function openTrade(row: StateRow | undefined, tradeId: string): { trade: Trade; version: bigint } {
  const trade = tradeOf(row, tradeId);
  if (trade.status !== 'open') {
    throw new GuildmintError(ErrorCode.NOT_FOUND, `this trade is no longer open: it was ${trade.status}`);
  }
  return { trade, version: row!.version };
}

function closed(trade: Trade, status: TradeStatus, by: string, now: Date): Trade {
  return { ...trade, status, closedBy: by, closedAt: now };
}

/** Writes the trade's row, if its version is still `version` (0: it must not exist yet). */
function tradeEffect(trade: Trade, version: bigint): StateEffect {
  return {
    kind: 'set',
    scope: STATE.trade,
    key: trade.id,
    value: trade.status === 'open' ? BigInt(trade.expiresAt.getTime()) : 0n,
    json: JSON.stringify(toRecord(trade)),
    version,
    fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'the trade changed meanwhile; try again' },
  };
}

function meta(tradeId: string): string {
  return canonicalMetadata({ trade: tradeId });
}

/** A member's step on a trade (accept, cancel), its arguments checked and its key bound to them. */
function tradeKey(operation: string, tradeId: string, o: { userId: string; key?: string }): BoundKey {
  memberAccount(o?.userId);
  assertTradeId(tradeId);
  return bindKey(operation, o.key, { tradeId, userId: o.userId });
}

function assertTradeId(tradeId: unknown): asserts tradeId is string {
  if (typeof tradeId !== 'string' || !/^[0-9a-f]{24}$/.test(tradeId)) {
    throw invalidInput('tradeId', 'must be a trade id');
  }
}

function sideOf(input: TradeSideInput | undefined, path: string): TradeSide {
  if (input === undefined) return { coins: 0n, items: {} };
  if (typeof input !== 'object' || input === null) throw invalidInput(path, 'must be { coins, items }');
  const coins = input.coins ?? 0n;
  if (coins !== 0n) assertAmount(coins, `${path}.coins`);
  const items = input.items ?? {};
  if (typeof items !== 'object' || items === null)
    throw invalidInput(`${path}.items`, 'must map item ids to quantities');
  const entries = Object.entries(items);
  if (entries.length > MAX_ITEM_KINDS) {
    throw invalidInput(`${path}.items`, `at most ${MAX_ITEM_KINDS} kinds of item per side`);
  }
  const checked: Record<string, number> = {};
  for (const [name, quantity] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    checked[name] = quantityOf(quantity);
  }
  return { coins, items: checked };
}

function isEmpty(side: TradeSide): boolean {
  return side.coins === 0n && Object.keys(side.items).length === 0;
}

function sideArgs(side: TradeSide) {
  return { coins: side.coins.toString(), items: side.items };
}
