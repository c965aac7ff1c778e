import {
  blackjackSchema,
  coinflipSchema,
  diceSchema,
  type GameName,
  rouletteSchema,
  slotsSchema,
} from '../config/schema.js';
import { invalidInput } from '../errors.js';
import { blackjack } from './blackjack.js';
import { coinflip } from './coinflip.js';
import { dice } from './dice.js';
import { createDraws, type Draws, hashServerSeed } from './fairness.js';
import { parseChoice } from './input.js';
import { roulette } from './roulette.js';
import { slots } from './slots.js';
import { type GameSetup, type GameStep, isGameAction, type Json, type RoundProof } from './types.js';

/*
 * Running a round end to end, and recomputing it: the one place that ties a game to its draws and its
 * proof, used by the integrator (startRound, continueRound) and by verifyRound (replayRound) alike.
 */

export interface Seeds {
  serverSeed: string;
  clientSeed: string;
  nonce: number;
}

/** A step together with the proof of the round so far (put it in the GameResult). */
export type RoundStep = GameStep & { proof: RoundProof };

/** Validates the input, plays the round's first step and builds its proof. */
export function startRound(
  setup: GameSetup,
  input: Record<string, unknown>,
  bet: bigint,
  seeds: Seeds,
): RoundStep {
  const draws = createDraws(seeds.serverSeed, seeds.clientSeed, seeds.nonce);
  const { choice, step } = begin(setup, input, bet, draws);
  return {
    ...step,
    proof: {
      serverSeedHash: hashServerSeed(seeds.serverSeed),
      clientSeed: seeds.clientSeed,
      nonce: seeds.nonce,
      params: {
        config: setup.config,
        input: choice,
        bet: bet.toString(),
        ...(setup.game === 'blackjack' ? { actions: [] } : {}),
      },
    },
  };
}

/** An unfinished round as the integrator stored it, and the player's next action. */
export interface ContinueRound {
  game: GameName;
  /** The last step's proof; its config is the one the round started with. */
  proof: RoundProof;
  /** The last step's state, as stored (it is checked again). */
  state: unknown;
  action: string;
  /** The seed committed in the proof (keep it for the round even if the player rotates seeds). */
  serverSeed: string;
}

/** The next step of an unfinished round, with the proof's actions extended by this one. */
export function continueRound({ game, proof, state, action, serverSeed }: ContinueRound): RoundStep {
  if (game !== 'blackjack') throw invalidInput('action', `${game} rounds take no actions`);
  if (hashServerSeed(serverSeed) !== proof.serverSeedHash) {
    throw invalidInput('serverSeed', 'is not the seed this round was committed to');
  }
  const config = parseChoice(blackjackSchema, proof.params.config, 'proof.params.config');
  const draws = createDraws(serverSeed, proof.clientSeed, proof.nonce);
  const step = blackjack.act(draws, config, blackjack.parseState(state), action);
  const actions = [...(proof.params.actions ?? []), ...(isGameAction(action) ? [action] : [])];
  return { ...step, proof: { ...proof, params: { ...proof.params, actions } } };
}

/**
 * Recomputes a round from its proof and the revealed server seed: the config and input are checked
 * again, then the start and every recorded action are replayed on one draw stream. Throws when the
 * proof does not describe a playable round. Also returns the choice as parsed, for comparison.
 */
export function replayRound(
  game: string,
  proof: RoundProof,
  serverSeed: string,
): GameStep & { choice: Json } {
  const setup = parseSetup(game, proof.params.config);
  const { input, bet: betText } = proof.params;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidInput('proof.params.input', 'must be an object');
  }
  if (typeof betText !== 'string' || !/^[1-9]\d{0,18}$/.test(betText)) {
    throw invalidInput('proof.params.bet', 'must be a positive whole number of minor units');
  }
  const actions = proof.params.actions ?? [];
  const draws = createDraws(serverSeed, proof.clientSeed, proof.nonce);
  if (setup.game === 'blackjack') {
    const choice = blackjack.parseInput(input);
    let step: GameStep = blackjack.start(draws, setup.config, choice, BigInt(betText));
    for (const action of actions) {
      const state = step.state === undefined ? undefined : blackjack.parseState(step.state);
      if (state === undefined) throw invalidInput('proof.params.actions', 'go on after the round finished');
      step = blackjack.act(draws, setup.config, state, action);
    }
    return { ...step, choice };
  }
  if (actions.length > 0) throw invalidInput('proof.params.actions', `${game} rounds take no actions`);
  const { choice, step } = begin(setup, input, BigInt(betText), draws);
  return { ...step, choice };
}

function begin(
  setup: GameSetup,
  input: Record<string, unknown>,
  bet: bigint,
  draws: Draws,
): { choice: Json; step: GameStep } {
  switch (setup.game) {
    case 'coinflip': {
      const choice = coinflip.parseInput(input);
      return { choice, step: coinflip.start(draws, setup.config, choice, bet) };
    }
    case 'dice': {
      const choice = dice.parseInput(input, setup.config);
      return { choice, step: dice.start(draws, setup.config, choice, bet) };
    }
    case 'slots': {
      const choice = slots.parseInput(input);
      return { choice, step: slots.start(draws, setup.config, choice, bet) };
    }
    case 'roulette': {
      const choice = roulette.parseInput(input);
      return { choice, step: roulette.start(draws, setup.config, choice, bet) };
    }
    case 'blackjack': {
      const choice = blackjack.parseInput(input);
      return { choice, step: blackjack.start(draws, setup.config, choice, bet) };
    }
  }
}

/** A game name and an untrusted config (as a proof carries it) → a typed setup; INVALID_INPUT otherwise. */
export function parseSetup(game: string, config: unknown): GameSetup {
  const path = 'proof.params.config';
  switch (game) {
    case 'coinflip':
      return { game, config: parseChoice(coinflipSchema, config, path) };
    case 'dice':
      return { game, config: parseChoice(diceSchema, config, path) };
    case 'slots':
      return { game, config: parseChoice(slotsSchema, config, path) };
    case 'roulette':
      return { game, config: parseChoice(rouletteSchema, config, path) };
    case 'blackjack':
      return { game, config: parseChoice(blackjackSchema, config, path) };
    default:
      throw invalidInput('game', `no built-in game named "${game}"`);
  }
}
