import { ErrorCode, GuildmintError } from '../../errors.js';
import { isUserAccount } from '../../ledger/accounts.js';
import { isWithinBalanceRange } from '../../ledger/amounts.js';
import { USER_VOLUME_ACCOUNT } from '../../ledger/plan.js';
import { utcDay } from '../../policy/measures.js';
import type { FlowRow } from '../../stores/types.js';

/** One line of an operation: `amount` minor units from one account to another. */
export interface Line {
  from: string;
  to: string;
  amount: bigint;
}

/** A member's balance row, as `Store.userBalances` returns it. */
interface MemberRow {
  balance: bigint;
  activeAt: Date | null;
}

/**
 * The totals a store keeps beside its transfers, kept in memory without the transfers themselves: every
 * account's balance, each member's balance row (created and stamped when an op changes it, as the stores'
 * `gm_balances` upsert does) and the per-day flow rollup that `buildStats` reads. An op's lines post all
 * or none, with `planGroup`'s rule: a member account never goes below zero, system accounts may.
 * The simulation's agreement test holds these totals equal to a real store's after the same run.
 */
export class Books {
  private readonly balances = new Map<string, bigint>();
  private readonly members = new Map<string, MemberRow>();
  /** Flow rows by UTC day, then account. */
  private readonly flows = new Map<string, Map<string, FlowRow>>();
  /** The rows of the day last posted at: the clock moves once per simulated hour. */
  private today: { at: Date; rows: Map<string, FlowRow>; day: string } | undefined;

  balance(account: string): bigint {
    return this.balances.get(account) ?? 0n;
  }

  /** Why these lines cannot post (INSUFFICIENT_FUNDS), checked line by line as `planGroup` does; or undefined. */
  refusal(lines: readonly Line[]): GuildmintError | undefined {
    // Running balances of the members these lines touch: what a later line of the op may spend.
    let running: Map<string, bigint> | undefined;
    for (const { from, to, amount } of lines) {
      if (amount <= 0n) throw new Error(`the simulation built a line of ${amount} from ${from} to ${to}`);
      if (isUserAccount(from)) {
        const before = running?.get(from) ?? this.balance(from);
        if (before < amount) {
          return new GuildmintError(
            ErrorCode.INSUFFICIENT_FUNDS,
            `account ${from} has ${before}, not enough to send ${amount}`,
          );
        }
        if (lines.length > 1) {
          running ??= new Map();
          running.set(from, before - amount);
        }
      }
      if (isUserAccount(to) && lines.length > 1) {
        running ??= new Map();
        running.set(to, (running.get(to) ?? this.balance(to)) + amount);
      }
    }
    return undefined;
  }

  /** Posts lines that `refusal` accepted. */
  apply(lines: readonly Line[], now: Date): void {
    const flows = this.flowsAt(now);
    if (lines.length === 1) {
      const line = lines[0]!;
      this.addFlows(flows, line);
      this.change(line.from, -line.amount, now);
      this.change(line.to, line.amount, now);
      return;
    }
    const net = new Map<string, bigint>();
    for (const line of lines) {
      net.set(line.from, (net.get(line.from) ?? 0n) - line.amount);
      net.set(line.to, (net.get(line.to) ?? 0n) + line.amount);
      this.addFlows(flows, line);
    }
    for (const [account, delta] of net) this.change(account, delta, now);
  }

  /** Every member balance row, as `Store.userBalances` returns them. */
  userBalances(): MemberRow[] {
    return [...this.members.values()];
  }

  /** The flow rollup, as `Store.flows` returns it from the first day on. */
  flowRows(): FlowRow[] {
    return [...this.flows.values()].flatMap((rows) => [...rows.values()]);
  }

  /** What a store's `verify()` would find wrong with these totals: they must sum to zero, members ≥ 0. */
  problems(): string[] {
    const problems: string[] = [];
    let total = 0n;
    for (const [account, balance] of this.balances) {
      total += balance;
      if (isUserAccount(account) && balance < 0n) problems.push(`${account} is overdrawn: ${balance}`);
      if (isUserAccount(account) && this.members.get(account)?.balance !== balance) {
        problems.push(`${account}: its balance row disagrees with its balance`);
      }
    }
    if (total !== 0n) problems.push(`the balances sum to ${total}, not 0`);
    return problems;
  }

  /** One account's net change in an op. */
  private change(account: string, delta: bigint, now: Date): void {
    // As the stores do: an account whose net change is zero is not written, so not stamped either.
    if (delta === 0n) return;
    const balance = this.balance(account) + delta;
    if (!isWithinBalanceRange(balance)) throw new Error(`account ${account} would leave the 64-bit range`);
    this.balances.set(account, balance);
    if (isUserAccount(account)) this.members.set(account, { balance, activeAt: now });
  }

  /** The rollup of `planGroup` (its `addFlows`): system accounts per day, and member-to-member volume. */
  private addFlows(rows: Map<string, FlowRow>, { from, to, amount }: Line): void {
    const fromUser = isUserAccount(from);
    const toUser = isUserAccount(to);
    if (fromUser && toUser) this.bump(rows, USER_VOLUME_ACCOUNT, amount, 0n);
    if (!fromUser) this.bump(rows, from, 0n, amount);
    if (!toUser) this.bump(rows, to, amount, 0n);
  }

  private bump(rows: Map<string, FlowRow>, account: string, credit: bigint, debit: bigint): void {
    const row = rows.get(account);
    if (row) {
      row.credit += credit;
      row.debit += debit;
      row.count += 1n;
    } else {
      rows.set(account, { day: this.today!.day, account, credit, debit, count: 1n });
    }
  }

  private flowsAt(now: Date): Map<string, FlowRow> {
    if (this.today?.at !== now) {
      const day = utcDay(now);
      let rows = this.flows.get(day);
      if (!rows) {
        rows = new Map();
        this.flows.set(day, rows);
      }
      this.today = { at: now, rows, day };
    }
    return this.today.rows;
  }
}
