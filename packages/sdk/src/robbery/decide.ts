import type { RobberyConfig } from '../config/schema.js';
import { createDraws, type Draws, hashServerSeed } from '../games/fairness.js';

/*
 * How a robbery is decided, exactly, so anyone can check one (`verifyRobbery`):
 *
 * 1. chanceBps = minChanceBps + floor((maxChanceBps − minChanceBps) × target / (robber + target)), from
 *    both wallets as they were at the attempt: the richer the target is next to the robber, the likelier.
 * 2. The draws are the robber's provably fair stream (games/fairness.ts) at the robber's next nonce:
 *    roll = nextInt(10000); the robbery succeeds when roll < chanceBps.
 * 3. Success: stealBps = minStealBps + nextInt(maxStealBps − minStealBps + 1); stolen =
 *    floor(target × stealBps / 10000), at most maxSteal, at least 1.
 *    Failure: fine = max(minFine, floor(robber × fineBps / 10000)), at most the robber's wallet; no draw.
 */

/** The parameters a robbery's proof carries: with the revealed server seed, enough to recompute it. */
export interface RobberyParams {
  /** Both wallets at the attempt, as decimal strings. */
  robberWallet: string;
  targetWallet: string;
  /** The robbery rules in force (the parts that decide an outcome). */
  rules: Pick<
    RobberyConfig,
    'minChanceBps' | 'maxChanceBps' | 'minStealBps' | 'maxStealBps' | 'maxSteal' | 'fineBps' | 'minFine'
  >;
}

export interface RobberyOutcome {
  success: boolean;
  chanceBps: number;
  roll: number;
  /** Drawn on success only. */
  stealBps: number | null;
  /** Taken from the target on success, or the robber's fine on failure, as a decimal string. */
  amount: string;
}

export interface RobberyProof {
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  params: RobberyParams;
}

export function robberyParams(
  rules: RobberyConfig,
  robberWallet: bigint,
  targetWallet: bigint,
): RobberyParams {
  const { minChanceBps, maxChanceBps, minStealBps, maxStealBps, maxSteal, fineBps, minFine } = rules;
  return {
    robberWallet: robberWallet.toString(),
    targetWallet: targetWallet.toString(),
    rules: { minChanceBps, maxChanceBps, minStealBps, maxStealBps, maxSteal, fineBps, minFine },
  };
}

/** Step 1: the chance of success in bps. */
export function robberyChanceBps(params: RobberyParams): number {
  const robber = BigInt(params.robberWallet);
  const target = BigInt(params.targetWallet);
  const { minChanceBps, maxChanceBps } = params.rules;
  const both = robber + target;
  const extra = both === 0n ? 0n : (BigInt(maxChanceBps - minChanceBps) * target) / both;
  return minChanceBps + Number(extra);
}

/** Steps 1–3 on a round's draws. */
export function decideRobbery(draws: Draws, params: RobberyParams): RobberyOutcome {
  const chanceBps = robberyChanceBps(params);
  const roll = draws.nextInt(10_000);
  const { rules } = params;
  if (roll < chanceBps) {
    const stealBps = rules.minStealBps + draws.nextInt(rules.maxStealBps - rules.minStealBps + 1);
    let stolen = (BigInt(params.targetWallet) * BigInt(stealBps)) / 10_000n;
    if (rules.maxSteal !== null && stolen > BigInt(rules.maxSteal)) stolen = BigInt(rules.maxSteal);
    if (stolen < 1n) stolen = 1n;
    return { success: true, chanceBps, roll, stealBps, amount: stolen.toString() };
  }
  const robber = BigInt(params.robberWallet);
  let fine = (robber * BigInt(rules.fineBps)) / 10_000n;
  if (fine < BigInt(rules.minFine)) fine = BigInt(rules.minFine);
  if (fine > robber) fine = robber;
  return { success: false, chanceBps, roll, stealBps: null, amount: fine.toString() };
}

/** The outcome of a robbery from its seeds (what the server decided at the attempt). */
export function robberyFromSeeds(
  serverSeed: string,
  clientSeed: string,
  nonce: number,
  params: RobberyParams,
): RobberyOutcome {
  return decideRobbery(createDraws(serverSeed, clientSeed, nonce), params);
}

/**
 * True only when `serverSeed` hashes to the proof's commitment and recomputing the robbery from the
 * seeds, nonce and parameters gives exactly its outcome. Never throws.
 */
export function verifyRobbery(
  robbery: { outcome: RobberyOutcome; proof: RobberyProof },
  serverSeed: string,
): boolean {
  try {
    const { proof, outcome } = robbery;
    if (typeof serverSeed !== 'string' || hashServerSeed(serverSeed) !== proof.serverSeedHash) return false;
    const again = robberyFromSeeds(serverSeed, proof.clientSeed, proof.nonce, proof.params);
    return (
      again.success === outcome.success &&
      again.chanceBps === outcome.chanceBps &&
      again.roll === outcome.roll &&
      again.stealBps === outcome.stealBps &&
      again.amount === outcome.amount
    );
  } catch {
    return false;
  }
}
