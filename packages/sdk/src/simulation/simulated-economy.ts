import type { GameName } from '../config/schema.js';
import type { MemberContext } from '../context/member-account.js';
import type { GameAction, Json } from '../games/types.js';
import type { EconomyStats } from '../policy/stats.js';

/** A round as the member sees it after a step: what `Tenant.play` and `Tenant.act` answer, narrowed. */
export interface RoundView {
  roundId: string;
  /** The stake the round took (bet, plus a double). */
  bet: bigint;
  payout: bigint;
  finished: boolean;
  outcome: Json;
}

/** A value now (the in-memory economy) or later (a Tenant). */
export type Answer<T> = T | Promise<T>;

/**
 * The calls a simulated member makes, narrowed to what the member reads back; a `Tenant` is one as it
 * stands. Refusals are thrown as `GuildmintError`s with their codes, exactly as a Tenant throws them.
 */
export interface MemberActions {
  balance(userId: string): Answer<bigint>;
  claim(faucet: string, userId: string, o: { member: MemberContext }): Answer<{ amount: bigint }>;
  play(
    game: GameName,
    userId: string,
    input: { bet: bigint; [choice: string]: Json | bigint },
  ): Answer<RoundView>;
  act(roundId: string, action: GameAction, o: { userId: string }): Answer<RoundView>;
  buy(userId: string, item: string, o?: { quantity?: number }): Answer<{ amount: bigint }>;
  use(userId: string, item: string): Answer<unknown>;
  pay(input: {
    from: string;
    to: string;
    amount: bigint;
  }): Answer<{ amount: bigint; tax: bigint; fee: bigint }>;
}

/** Where the money is at the end of a day: the economy's statistics, each game's house, escrow. */
export interface DaySnapshot {
  stats: EconomyStats;
  houses: Map<string, bigint>;
  escrow: bigint;
}

/**
 * An economy the engine runs a population on, one simulated day at a time: the real one (a Tenant on a
 * store, `ledger-economy.ts`) or the in-memory one (`memory/economy.ts`). Both read the engine's clock.
 */
export interface SimulatedEconomy {
  readonly actions: MemberActions;
  /** Sessions in flight at once within a simulated hour. */
  readonly concurrency: number;
  /** At the day's first moment: the daily job a runtime would run (the auto-balancer). */
  startDay(): Promise<void>;
  /** Before the sessions of one simulated hour. */
  startHour(): Promise<void>;
  /** At the day's last moment: rounds left open past their timeout stand, then the day is measured. */
  endDay(): Promise<DaySnapshot>;
  /** After the last day: throws when the books do not balance. */
  verify(): Promise<void>;
  close(): Promise<void>;
}
