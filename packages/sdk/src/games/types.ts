import type {
  BlackjackConfig,
  CoinflipConfig,
  DiceConfig,
  GameName,
  RouletteConfig,
  SlotsConfig,
} from '../config/schema.js';
import type { BlackjackOutcome } from './blackjack.js';
import type { CoinflipChoice, CoinflipOutcome } from './coinflip.js';
import type { DiceChoice, DiceOutcome } from './dice.js';
import type { Draws } from './fairness.js';
import type { RouletteChoice, RouletteOutcome } from './roulette.js';
import type { SlotsOutcome } from './slots.js';

/** A JSON value: what outcomes, choices, states and proofs are made of (no bigint, no undefined). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The player's moves in a multi-step game (blackjack). */
export type GameAction = 'hit' | 'stand' | 'double';
export const GAME_ACTIONS: readonly GameAction[] = ['hit', 'stand', 'double'];
export function isGameAction(value: unknown): value is GameAction {
  return GAME_ACTIONS.some((action) => action === value);
}

/** The built-in games, in the order they are listed everywhere. */
export const GAME_NAMES: readonly GameName[] = ['coinflip', 'dice', 'slots', 'roulette', 'blackjack'];
/** Whether a name (from a slash command, a URL) is one of the built-in games: narrows it for `play`. */
export function isGameName(value: unknown): value is GameName {
  return GAME_NAMES.some((name) => name === value);
}

/** What the player chooses in each built-in game, besides the bet (slots and blackjack: nothing). */
export interface GameChoices {
  coinflip: CoinflipChoice;
  dice: DiceChoice;
  slots: Record<never, never>;
  roulette: RouletteChoice;
  blackjack: Record<never, never>;
}

/**
 * What each built-in game shows of a round. Money in an outcome is a decimal string of minor units:
 * the outcome is the round's verifiable record, recomputed and compared as JSON by `verifyRound` (in
 * the SDK, over the HTTP API and in a verifier in any language). The bigint to act on is the result's
 * `payout` (and `bet`).
 */
export interface GameOutcomes {
  coinflip: CoinflipOutcome;
  dice: DiceOutcome;
  slots: SlotsOutcome;
  roulette: RouletteOutcome;
  blackjack: BlackjackOutcome;
}

/** Each built-in game's config, as `config/schema.ts` parses it. */
export interface GameConfigs {
  coinflip: CoinflipConfig;
  dice: DiceConfig;
  slots: SlotsConfig;
  roulette: RouletteConfig;
  blackjack: BlackjackConfig;
}

/** A game and its config together, so that `switch (setup.game)` narrows the config. */
export type GameSetup = { [G in GameName]: { game: G; config: GameConfigs[G] } }[GameName];

/** What one step of a round (its start, or one action) comes to. */
export interface GameStep<Outcome extends Json = Json, State extends Json = Json> {
  /** What the player sees; also what `verifyRound` recomputes. Carries the payout as a decimal string. */
  outcome: Outcome;
  /** Total returned to the player, stake included; 0n on a loss and while the round is unfinished. */
  payout: bigint;
  finished: boolean;
  /** Present while unfinished: persist it server-side and hand it back to `act`. Never show it (hole card). */
  state?: State;
  /** Set when the step raised the stake (a blackjack double): take this much more from the player. */
  extraStake?: bigint;
}

/** The one shape every built-in game satisfies. Games are pure: no I/O, randomness only from `draws`. */
export interface GameDefinition<
  Config,
  Choice extends Json,
  Outcome extends Json,
  State extends Json = never,
> {
  readonly name: GameName;
  /** Validates the player's choice against the config; INVALID_INPUT naming the field. Other keys (bet, key) are ignored. */
  parseInput(input: Record<string, unknown>, config: Config): Choice;
  start(draws: Draws, config: Config, choice: Choice, bet: bigint): GameStep<Outcome, State>;
  /** Multi-step games: the next step. `draws` is the round's source, fresh or where the last step left it. */
  act?(draws: Draws, config: Config, state: State, action: string): GameStep<Outcome, State>;
  /** Multi-step games: checks a state read back from storage. */
  parseState?(value: unknown): State;
}

/** The game parameters a proof carries so that anyone can recompute the round. */
export interface ProofParams {
  /** The game's config in force when the round started, as its schema parsed it. */
  config: Json;
  /** The player's validated choice (what `parseInput` returned). */
  input: Json;
  /** The initial bet in minor units, as a decimal string. */
  bet: string;
  /** Multi-step games: the player's actions so far, in order (including a timeout's 'stand'). */
  actions?: GameAction[];
}

export interface RoundProof {
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  params: ProofParams;
}

/**
 * What `tenant.play` and `tenant.act` return (SDK-CONTRACT.md): a union by `game`, so that
 * `if (result.game === 'dice')` narrows `result.outcome` to a `DiceOutcome`.
 */
export type GameResult<G extends GameName = GameName> = {
  [K in G]: {
    roundId: string;
    game: K;
    /** What the player sees (money as decimal strings: see `GameOutcomes`). */
    outcome: GameOutcomes[K];
    /** Total returned to the player, stake included; 0n on a loss and while the round is unfinished. */
    payout: bigint;
    finished: boolean;
    proof: RoundProof;
  };
}[G];

/** A round as `verifyRound` checks it: a `GameResult`, or the same read back from JSON (the HTTP API). */
export interface VerifiableRound {
  game: string;
  outcome: unknown;
  finished: boolean;
  proof: RoundProof;
}
