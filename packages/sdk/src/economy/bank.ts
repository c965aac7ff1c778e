import type { BankConfig, EconomyConfig } from '../config/schema.js';
import { bankAccount, memberAccount } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { assertAmount } from '../ledger/amounts.js';
import { toPublic } from '../ledger/ledger.js';
import { derivedId, type NewTransfer } from '../ledger/normalize.js';
import type { Transfer } from '../ledger/types.js';
import type { StateEffect, StateRef, StateRow, StoredTransfer } from '../stores/types.js';
import { dayNumber } from '../streaks/index.js';
import { bindKey, keyedTransfers, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer } from './receipt.js';

/** Where bank interest comes from: new currency, like every faucet. */
const INTEREST_FAUCET = 'faucet:bank-interest';
const INTEREST_CODE = 'faucet.bank-interest';

/** A member's money in both places. */
export interface Holdings {
  wallet: bigint;
  bank: bigint;
  total: bigint;
}

/** What a deposit or withdrawal did: the amount moved, interest paid first, and the balances after. */
export interface BankReceipt {
  /** The operation's key: the id of its main transfer. */
  id: string;
  amount: bigint;
  /** Interest paid into the bank by this operation (0n if none was due). */
  interest: bigint;
  transfers: Transfer[];
  replayed: boolean;
}

export async function holdings(ctx: TenantContext, userId: string): Promise<Holdings> {
  const [wallet, bank] = await Promise.all([
    ctx.store.balance(ctx.tenant, memberAccount(userId)),
    ctx.store.balance(ctx.tenant, bankAccount(userId)),
  ]);
  return { wallet, bank, total: wallet + bank };
}

/** Moves coins from the member's wallet into their bank (interest due is paid in the same batch). */
export function deposit(
  ctx: TenantContext,
  userId: string,
  amount: bigint,
  o: { key?: string } = {},
): Promise<BankReceipt> {
  return move(ctx, 'deposit', userId, amount, o.key);
}

/** Moves coins from the member's bank back into their wallet (interest due is paid first). */
export function withdraw(
  ctx: TenantContext,
  userId: string,
  amount: bigint,
  o: { key?: string } = {},
): Promise<BankReceipt> {
  return move(ctx, 'withdraw', userId, amount, o.key);
}

async function move(
  ctx: TenantContext,
  direction: 'deposit' | 'withdraw',
  userId: string,
  amount: bigint,
  key: string | undefined,
): Promise<BankReceipt> {
  const wallet = memberAccount(userId);
  const bank = bankAccount(userId);
  assertAmount(amount);
  const bound = bindKey(direction, key, { userId, amount: amount.toString() });
  return runKeyed(ctx, bound, {
    member: userId,
    reads: (config, now) => bankReads(config, userId, now),
    attempt: async ({ config, now, state }) => {
      const rules = bankRules(config);
      if (amount < BigInt(rules.minAmount)) {
        throw new GuildmintError(
          ErrorCode.INVALID_AMOUNT,
          `the smallest ${direction} here is ${rules.minAmount}`,
        );
      }
      const [banked, frozen] = await Promise.all([
        ctx.store.balance(ctx.tenant, bank),
        // A frozen wallet cannot send; neither may its bank (the ledger only knows the wallet is frozen).
        direction === 'withdraw' ? ctx.store.isFrozen(ctx.tenant, wallet) : false,
      ]);
      if (frozen) throw new GuildmintError(ErrorCode.ACCOUNT_FROZEN, 'your wallet is frozen');
      const due = interestDue(config, userId, banked, now, state);
      if (direction === 'deposit' && rules.maxBalance !== null) {
        const after = banked + due.amount + amount;
        if (after > BigInt(rules.maxBalance)) {
          throw new GuildmintError(
            ErrorCode.LIMIT_REACHED,
            `a bank holds at most ${rules.maxBalance}; you can deposit ${maxOf(0n, BigInt(rules.maxBalance) - banked - due.amount)} more`,
          );
        }
      }
      if (direction === 'withdraw' && amount > banked + due.amount) {
        throw new GuildmintError(ErrorCode.INSUFFICIENT_FUNDS, `you have ${banked + due.amount} in the bank`);
      }
      // Interest first: a withdrawal may take what it just earned.
      const transfers: NewTransfer[] = [];
      if (due.amount > 0n) {
        transfers.push(
          newTransfer(derivedId(bound.key, 'interest'), INTEREST_FAUCET, bank, due.amount, INTEREST_CODE),
        );
      }
      transfers.push(
        direction === 'deposit'
          ? newTransfer(bound.key, wallet, bank, amount, 'bank.deposit')
          : newTransfer(bound.key, bank, wallet, amount, 'bank.withdraw'),
      );
      const stored = await commitTransfers(ctx, transfers, { effects: [spendKey(bound), ...due.effects] });
      return receiptOf(stored, bound.key, false);
    },
    replay: async () => receiptOf(await keyedTransfers(ctx, bound.key), bound.key, true),
  });
}

function bankRules(config: EconomyConfig): BankConfig {
  if (!config.bank.enabled) throw new GuildmintError(ErrorCode.NOT_FOUND, 'this server has no bank');
  return config.bank;
}

function bankRef(userId: string): StateRef {
  return { scope: STATE.bank, key: userId };
}

function emissionRef(config: EconomyConfig, now: Date): StateRef {
  return { scope: STATE.emission, key: String(dayNumber(now, config.timeZone)) };
}

function bankReads(config: EconomyConfig, userId: string, now: Date): StateRef[] {
  const budgeted = config.bank.interest.dailyRateBps > 0 && config.policy.dailyEmissionBudget !== null;
  return [bankRef(userId), ...(budgeted ? [emissionRef(config, now)] : [])];
}

/**
 * The interest owed for the whole days since it was last paid (at most `maxDaysAccrued`), floored, at
 * most `maxPerDay` a day, and no more than what is left of today's emission budget; with the state
 * changes that pay it. Every bank move sets the member's bank row under a version guard, so two moves of
 * one bank are serialized (the loser is retried on fresh balances) and interest is paid once per day.
 */
function interestDue(
  config: EconomyConfig,
  userId: string,
  banked: bigint,
  now: Date,
  state: (scope: string, key: string) => StateRow | undefined,
): { amount: bigint; effects: StateEffect[] } {
  const { interest } = config.bank;
  const today = BigInt(dayNumber(now, config.timeZone));
  const ref = bankRef(userId);
  const row = state(ref.scope, ref.key);
  const days = row === undefined ? 0n : minOf(today - row.value, BigInt(interest.maxDaysAccrued));
  let amount = 0n;
  if (days > 0n && interest.dailyRateBps > 0) {
    const perDay = minOf((banked * BigInt(interest.dailyRateBps)) / 10_000n, BigInt(interest.maxPerDay));
    amount = perDay * days;
  }
  const effects: StateEffect[] = [
    {
      kind: 'set',
      ...ref,
      value: today,
      version: row?.version ?? 0n,
      fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'your bank changed meanwhile; try again' },
    },
  ];
  const budget = config.policy.dailyEmissionBudget;
  if (amount > 0n && budget !== null) {
    const emission = emissionRef(config, now);
    const left = BigInt(budget) - (state(emission.scope, emission.key)?.value ?? 0n);
    amount = maxOf(0n, minOf(amount, left));
    if (amount > 0n) {
      effects.push({
        kind: 'add',
        ...emission,
        delta: amount,
        max: BigInt(budget),
        // Another faucet took part of the budget since it was read: recompute with what is left.
        fail: { code: ErrorCode.CONCURRENT_UPDATE, message: "today's coin budget changed meanwhile" },
      });
    }
  }
  return { amount, effects };
}

function receiptOf(stored: StoredTransfer[], key: string, replayed: boolean): BankReceipt {
  const main = stored.find((t) => t.id === key);
  if (!main) throw invalidInput('key', `key ${key} was not spent on a bank move`);
  const interest = stored.filter((t) => t.code === INTEREST_CODE).reduce((sum, t) => sum + t.amount, 0n);
  return { id: key, amount: main.amount, interest, transfers: stored.map(toPublic), replayed };
}

function minOf(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
