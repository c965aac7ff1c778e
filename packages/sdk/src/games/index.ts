export {
  type BlackjackChoice,
  type BlackjackHand,
  type BlackjackOutcome,
  type BlackjackReason,
  type BlackjackResult,
  type BlackjackState,
  blackjack,
  CARDS,
  type Card,
  handValue,
} from './blackjack.js';
export { type CoinflipChoice, type CoinflipOutcome, type CoinSide, coinflip } from './coinflip.js';
export { type DiceChoice, type DiceDirection, type DiceOutcome, dice } from './dice.js';
export { createDraws, type Draws, hashServerSeed, newClientSeed, newServerSeed } from './fairness.js';
export {
  type RouletteBet,
  type RouletteChoice,
  type RouletteColor,
  type RouletteOutcome,
  type RouletteOutsideBet,
  roulette,
} from './roulette.js';
export {
  type ContinueRound,
  continueRound,
  type RoundStep,
  replayRound,
  type Seeds,
  startRound,
} from './round.js';
export {
  type BlackjackExpectation,
  type BlackjackStrategy,
  blackjackExpectation,
  blackjackStrategy,
  type GameReturn,
  gameReturns,
  type RtpArgs,
  theoreticalRtp,
} from './rtp.js';
export { type SlotsChoice, type SlotsOutcome, slots } from './slots.js';
export type {
  GameAction,
  GameChoices,
  GameConfigs,
  GameDefinition,
  GameOutcomes,
  GameResult,
  GameSetup,
  GameStep,
  Json,
  ProofParams,
  RoundProof,
  VerifiableRound,
} from './types.js';
export { GAME_ACTIONS, GAME_NAMES, isGameAction, isGameName } from './types.js';
export { canonicalJson, checkRound, type RoundCheck, type RoundMismatch, verifyRound } from './verify.js';
