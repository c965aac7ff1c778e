import type { BlackjackConfig, DiceConfig, GameName, GamesConfig, SlotsConfig } from '../config/schema.js';
import { type Card, cardValue } from './blackjack.js';
import { DICE_OUTCOMES, diceWinningRolls } from './dice.js';
import { ROULETTE_POCKETS } from './roulette.js';
import { matchLine } from './slots.js';
import { GAME_NAMES, type GameAction, type GameConfigs, type GameSetup } from './types.js';

/*
 * The return to player each config implies: expected total payout per unit staked. This is analysis,
 * not money movement, so floating point is fine here. It is exact at every bet: payouts are rounded to
 * whole minor units without bias (payout.ts), so rounding costs members nothing on average. Only
 * `maxPayout` can lower it, on bets large enough for a win to exceed the cap (see `cappedFromBet`).
 */

/** `theoreticalRtp`'s arguments: a game and that game's config. */
export type RtpArgs = { [G in GameName]: [game: G, config: GameConfigs[G]] }[GameName];

export function theoreticalRtp(...[game, config]: RtpArgs): number {
  return setupRtp({ game, config } as GameSetup);
}

function setupRtp(setup: GameSetup): number {
  switch (setup.game) {
    case 'coinflip':
      // Wins half the time and then pays (20000 − 2e) / 10000.
      return (0.5 * (20_000 - 2 * setup.config.houseEdgeBps)) / 10_000;
    case 'dice':
      // Any target and direction: (w / 10000) × (10000 − e) / w.
      return (10_000 - setup.config.houseEdgeBps) / DICE_OUTCOMES;
    case 'slots':
      return slotsRtp(setup.config);
    case 'roulette':
      // Even money: 18/37 × 2; a number: 1/37 × 36.
      return (ROULETTE_POCKETS - 1) / ROULETTE_POCKETS;
    case 'blackjack':
      return blackjackExpectation(setup.config).rtp;
  }
}

/** What members of a config get back from one game. */
export interface GameReturn {
  game: GameName;
  enabled: boolean;
  /** Expected payout per unit staked (0.98 = 98 %): exact at every bet below `cappedFromBet`. */
  rtp: number;
  /**
   * The smallest allowed bet at which a win can exceed `maxPayout` (on the game's longest odds), so
   * that bets from it on return less than `rtp`; null when no allowed bet reaches the cap.
   */
  cappedFromBet: number | null;
  /** The config's cap on one round's payout (null: none), which `cappedFromBet` follows from. */
  maxPayout: number | null;
}

/** Each configured game's return to player, in the usual order of games. */
export function gameReturns(games: GamesConfig): GameReturn[] {
  return GAME_NAMES.flatMap((game) => {
    const config = games[game];
    if (!config) return [];
    const setup = { game, config } as GameSetup;
    return [
      {
        game,
        enabled: config.enabled,
        rtp: setupRtp(setup),
        cappedFromBet: cappedFromBet(setup),
        maxPayout: config.maxPayout,
      },
    ];
  });
}

/** Total payout per unit bet of the game's best win, as a fraction (numerator, denominator > 0). */
function longestOdds(setup: GameSetup): [numerator: bigint, denominator: bigint] {
  switch (setup.game) {
    case 'coinflip':
      return [BigInt(20_000 - 2 * setup.config.houseEdgeBps), 10_000n];
    case 'dice':
      return [BigInt(10_000 - setup.config.houseEdgeBps), BigInt(fewestWinningRolls(setup.config))];
    case 'slots':
      // The best line that some combination of stops pays (a line shadowed by those above never does).
      return [
        BigInt(Math.max(0, ...[...paidLines(setup.config).keys()].map(multiplierOf(setup.config)))),
        10_000n,
      ];
    case 'roulette':
      return [36n, 1n];
    case 'blackjack':
      // A doubled stake won pays 4 × the bet; a natural bet × (10000 + payout) / 10000.
      return [BigInt(Math.max(40_000, 10_000 + setup.config.blackjackPayoutBps)), 10_000n];
  }
}

/** The smallest bet in minBet–maxBet whose best win pays more than maxPayout; null when none does. */
function cappedFromBet(setup: GameSetup): number | null {
  const { minBet, maxBet, maxPayout } = setup.config;
  if (maxPayout === null) return null;
  const [numerator, denominator] = longestOdds(setup);
  if (numerator === 0n) return null;
  // A payout rounds to the whole units either side of bet × n / d, so it can exceed the (whole) cap
  // exactly when bet × n / d does: bet > maxPayout × d / n.
  const first = (BigInt(maxPayout) * denominator) / numerator + 1n;
  if (first > BigInt(maxBet)) return null;
  return Math.max(minBet, Number(first));
}

/** The fewest winning rolls an allowed dice target leaves (the longest odds). */
function fewestWinningRolls(config: DiceConfig): number {
  return Math.min(
    diceWinningRolls(Math.round(config.minTarget * 100), 'under'),
    diceWinningRolls(Math.round(config.maxTarget * 100), 'over'),
  );
}

const multiplierOf = (config: SlotsConfig) => (line: number) => config.paytable[line]!.multiplierBps;

/**
 * How many combinations of reel stops each paytable line pays (first match only): every combination
 * of symbols, weighted by how often its symbols sit on the reels. Lines that never pay are absent.
 */
function paidLines(config: SlotsConfig): Map<number, number> {
  const counts = config.reels.map((reel) => {
    const count = new Map<string, number>();
    for (const symbol of reel) count.set(symbol, (count.get(symbol) ?? 0) + 1);
    return [...count];
  });
  const [first = [], second = [], third = []] = counts;
  const paid = new Map<number, number>();
  for (const [a, na] of first) {
    for (const [b, nb] of second) {
      for (const [c, nc] of third) {
        const line = matchLine(config.paytable, [a, b, c]);
        if (line >= 0) paid.set(line, (paid.get(line) ?? 0) + na * nb * nc);
      }
    }
  }
  return paid;
}

/** Exact: the multiplier of every combination of reel stops that pays. */
function slotsRtp(config: SlotsConfig): number {
  let paid = 0;
  for (const [line, combinations] of paidLines(config)) paid += combinations * multiplierOf(config)(line);
  const combinations = config.reels.reduce((n, reel) => n * reel.length, 1);
  return paid / 10_000 / combinations;
}

// ---- Blackjack: optimal play (hit / stand / double, no split), infinite deck, by dynamic programming.
// Card values 1 (ace) … 10; a ten-value card is 4 ranks of 13. Hands are (hard total, holds an ace).

const VALUES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const chance = (value: number): number => (value === 10 ? 4 : 1) / 13;
/** Index of a dealer final total in a distribution: 17–21 → 0–4, bust → 5. */
const BUST = 5;

function best(hard: number, ace: boolean): { total: number; soft: boolean } {
  const soft = ace && hard + 10 <= 21;
  return { total: soft ? hard + 10 : hard, soft };
}

/** Probability that the dealer holds a natural, given the up card's value. */
function dealerNaturalChance(up: number): number {
  return up === 1 ? chance(10) : up === 10 ? chance(1) : 0;
}

/** The dealer's final totals for each up card, given no natural (the peek has already happened). */
function dealerFinals(hitsSoft17: boolean): number[][] {
  const memo = new Map<number, number[]>();
  const from = (hard: number, ace: boolean): number[] => {
    const key = hard * 2 + (ace ? 1 : 0);
    const known = memo.get(key);
    if (known) return known;
    const { total, soft } = best(hard, ace);
    const dist = [0, 0, 0, 0, 0, 0];
    if (total > 21) dist[BUST] = 1;
    else if (total > 17 || (total === 17 && !(soft && hitsSoft17))) dist[total - 17] = 1;
    else {
      for (const v of VALUES) {
        from(hard + v, ace || v === 1).forEach((p, i) => {
          dist[i]! += chance(v) * p;
        });
      }
    }
    memo.set(key, dist);
    return dist;
  };
  const finals: number[][] = [];
  for (const up of VALUES) {
    const dist = [0, 0, 0, 0, 0, 0];
    let mass = 0;
    for (const hole of VALUES) {
      if ((up === 1 && hole === 10) || (up === 10 && hole === 1)) continue;
      mass += chance(hole);
      from(up + hole, up === 1 || hole === 1).forEach((p, i) => {
        dist[i]! += chance(hole) * p;
      });
    }
    finals[up] = dist.map((p) => p / mass);
  }
  return finals;
}

function standValue(total: number, dealer: readonly number[]): number {
  if (total > 21) return -1;
  let ev = dealer[BUST]!;
  for (let i = 0; i < BUST; i++) {
    const d = 17 + i;
    if (d < total) ev += dealer[i]!;
    else if (d > total) ev -= dealer[i]!;
  }
  return ev;
}

/** Expected net result per unit of the current stake for each action, per up card and hand. */
interface ActionValues {
  stand: number;
  hit: number;
  double: number;
}

function actionTables(config: Pick<BlackjackConfig, 'dealerHitsSoft17'>): ActionValues[][][] {
  const finals = dealerFinals(config.dealerHitsSoft17);
  const tables: ActionValues[][][] = [];
  for (const up of VALUES) {
    const dealer = finals[up]!;
    // table[ace][hard], hard 2..21; filled from 21 down because hitting only raises the hard total.
    const table: ActionValues[][] = [[], []];
    const played = (hard: number, ace: boolean): number => {
      if (hard > 21) return -1;
      const values = table[ace ? 1 : 0]![hard]!;
      return best(hard, ace).total === 21 ? values.stand : Math.max(values.stand, values.hit);
    };
    for (let hard = 21; hard >= 2; hard--) {
      for (const ace of [false, true]) {
        let hit = 0;
        let double = 0;
        for (const v of VALUES) {
          const nextAce = ace || v === 1;
          hit += chance(v) * played(hard + v, nextAce);
          double += chance(v) * 2 * standValue(best(hard + v, nextAce).total, dealer);
        }
        table[ace ? 1 : 0]![hard] = { stand: standValue(best(hard, ace).total, dealer), hit, double };
      }
    }
    tables[up] = table;
  }
  return tables;
}

function choose(values: ActionValues, firstTwo: boolean, total: number): GameAction {
  if (total >= 21) return 'stand';
  let action: GameAction = values.hit > values.stand ? 'hit' : 'stand';
  if (firstTwo && values.double > Math.max(values.stand, values.hit)) action = 'double';
  return action;
}

export interface BlackjackStrategy {
  /** The action with the highest expected value; `firstTwo`: the hand is still its first two cards. */
  decide(hand: { total: number; soft: boolean; firstTwo: boolean }, upcard: Card): GameAction;
}

/** Optimal play (no split) for the config's dealer rule; the natural payout does not change decisions. */
export function blackjackStrategy(config: Pick<BlackjackConfig, 'dealerHitsSoft17'>): BlackjackStrategy {
  const tables = actionTables(config);
  return {
    decide({ total, soft, firstTwo }, upcard) {
      const hard = soft ? total - 10 : total;
      const values = tables[cardValue(upcard)]?.[soft ? 1 : 0]?.[hard];
      if (values === undefined)
        throw new RangeError(`no blackjack hand totals ${soft ? 'soft' : 'hard'} ${total}`);
      return choose(values, firstTwo, total);
    },
  };
}

export interface BlackjackExpectation {
  /** Expected net result per initial bet under optimal play (negative: the house edge). */
  evPerBet: number;
  /** Probability that optimal play doubles. */
  doubleRate: number;
  /** Expected payout per unit staked, doubles included: 1 + evPerBet / (1 + doubleRate). */
  rtp: number;
}

/** Exact expectation of optimal play over every first four cards. */
export function blackjackExpectation(
  config: Pick<BlackjackConfig, 'dealerHitsSoft17' | 'blackjackPayoutBps'>,
): BlackjackExpectation {
  const tables = actionTables(config);
  const bonus = config.blackjackPayoutBps / 10_000;
  let evPerBet = 0;
  let doubleRate = 0;
  for (const up of VALUES) {
    const dealerNatural = dealerNaturalChance(up);
    for (const v1 of VALUES) {
      for (const v2 of VALUES) {
        const p = chance(up) * chance(v1) * chance(v2);
        const ace = v1 === 1 || v2 === 1;
        const { total } = best(v1 + v2, ace);
        if (total === 21) {
          evPerBet += p * (1 - dealerNatural) * bonus;
          continue;
        }
        const values = tables[up]![ace ? 1 : 0]![v1 + v2]!;
        const action = choose(values, true, total);
        evPerBet += p * (-dealerNatural + (1 - dealerNatural) * values[action]);
        if (action === 'double') doubleRate += p * (1 - dealerNatural);
      }
    }
  }
  return { evPerBet, doubleRate, rtp: 1 + evPerBet / (1 + doubleRate) };
}
