import { hashServerSeed } from './fairness.js';
import { replayRound } from './round.js';
import type { GameResult } from './types.js';

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

/**
 * True only when `serverSeed` hashes to `result.proof.serverSeedHash` and recomputing the round from
 * the proof (seeds, nonce, config, input, bet, actions) gives exactly `result.outcome` (canonical JSON)
 * and `result.finished`, with the proof's input being exactly the validated choice. Never throws: a
 * malformed result or proof is simply not verified.
 *
 * The outcome carries the game's own payout, so that is verified; `result.payout` itself is not
 * compared, because the economy may add event bonuses on top of what the game paid.
 */
export function verifyRound(result: GameResult, serverSeed: string): boolean {
  try {
    if (typeof serverSeed !== 'string' || hashServerSeed(serverSeed) !== result.proof.serverSeedHash)
      return false;
    const replayed = replayRound(result.game, result.proof, serverSeed);
    return (
      replayed.finished === result.finished &&
      canonicalJson(replayed.choice) === canonicalJson(result.proof.params.input) &&
      canonicalJson(replayed.outcome) === canonicalJson(result.outcome)
    );
  } catch {
    return false;
  }
}
