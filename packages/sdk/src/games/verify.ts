import { hashServerSeed } from './fairness.js';
import { replayRound } from './round.js';
import type { VerifiableRound } from './types.js';

/**
 * JSON with object keys sorted at every level, so that equal values give equal text whatever the key
 * order. Throws on what JSON cannot carry exactly (bigint, undefined, functions, NaN, ±Infinity).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot represent a ${typeof value}`);
}

/** Why a round does not verify, for `checkRound`. */
export type RoundMismatch =
  /** `serverSeed` does not hash to the proof's `serverSeedHash` (wrong seed, or a seed not yet revealed). */
  | 'seed'
  /** The proof does not describe a playable round (unknown game, config, input, bet or actions). */
  | 'proof'
  /** The proof's input is not exactly the choice as the game validates it. */
  | 'input'
  /** Replaying the proof gives another outcome than the one shown. */
  | 'outcome'
  /** Replaying the proof finishes the round where the result says it goes on, or the reverse. */
  | 'finished';

/** What `checkRound` finds: verified, or the first reason why not with a sentence to show. */
export type RoundCheck = { verified: true } | { verified: false; reason: RoundMismatch; message: string };

/**
 * Checks a round against the revealed server seed and says why it does not verify: the seed does not
 * match its hash, the proof is malformed, or replaying it gives another choice, outcome or end. Never
 * throws. `verifyRound` is the same check answering only true or false.
 *
 * The outcome carries the game's own payout, so that is verified; `result.payout` itself is not
 * compared, because the economy may add event bonuses on top of what the game paid.
 */
export function checkRound(result: VerifiableRound, serverSeed: string): RoundCheck {
  const fail = (reason: RoundMismatch, message: string): RoundCheck => ({ verified: false, reason, message });
  let replayed: ReturnType<typeof replayRound>;
  try {
    if (typeof serverSeed !== 'string' || hashServerSeed(serverSeed) !== result.proof.serverSeedHash)
      return fail('seed', "the server seed does not hash to the proof's serverSeedHash");
    replayed = replayRound(result.game, result.proof, serverSeed);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return fail('proof', `the proof does not describe a playable round${detail}`);
  }
  try {
    if (canonicalJson(replayed.choice) !== canonicalJson(result.proof.params.input))
      return fail('input', "the proof's input is not the choice as the game validates it");
    if (canonicalJson(replayed.outcome) !== canonicalJson(result.outcome))
      return fail('outcome', 'replaying the proof gives another outcome than the one shown');
  } catch {
    return fail('outcome', 'the outcome shown is not JSON');
  }
  if (replayed.finished !== result.finished)
    return fail(
      'finished',
      replayed.finished ? 'the replayed round is finished' : 'the replayed round goes on',
    );
  return { verified: true };
}

/**
 * True only when `serverSeed` hashes to `result.proof.serverSeedHash` and recomputing the round from
 * the proof (seeds, nonce, config, input, bet, actions) gives exactly `result.outcome` (canonical JSON)
 * and `result.finished`, with the proof's input being exactly the validated choice. Never throws: a
 * malformed result or proof is simply not verified. `checkRound` says why not.
 */
export function verifyRound(result: VerifiableRound, serverSeed: string): boolean {
  return checkRound(result, serverSeed).verified;
}
