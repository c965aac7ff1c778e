import { DEBT_BUCKET, holdingRange, RollupSums } from '../ledger/rollups.js';
import { ratioBps, roundedRatio } from '../policy/measures.js';

/**
 * The wealth distribution from the holdings histogram (`RollupMetric.holdings`), never from the members'
 * rows: a few thousand buckets at most, whatever the tenant's size.
 *
 * Members in a bucket below 256 all hold the same (exact). Above, a bucket spans at most 1/128 of its
 * lowest holding and only its members' count and total are known, so their order inside it is not:
 * - Gini's Σ rank·holding is taken halfway between its least value (the bucket's members holding the
 *   same, Chebyshev's sum inequality) and its greatest (⌊c²/4⌋·width/2 more), so it is off by at most a
 *   quarter of ⌊c²/4⌋·width per bucket: `giniBound`, which never exceeds 1/1024 (each bucket's
 *   width·c² ≤ c·total/128; summed, ≤ n·held/128).
 * - a cut through a bucket (where the richest tenth begins, each Lorenz point) takes its k poorest members
 *   halfway between the least and the most they can hold, off by at most half that gap: `shareBoundBps`,
 *   under half a bucket's width per member cut, so under 1/256 of what those k members hold.
 * Both bounds are computed per call and are 0 when every cut bucket is exact.
 */

/** One bucket of the holdings histogram, slots summed. */
export interface HoldingsBucket {
  bucket: number;
  /** Members in it. */
  members: bigint;
  /** Their holdings summed (in the debt bucket: their debts, negative). */
  amount: bigint;
}

export interface Distribution {
  /** Members whose wallet or bank has moved. */
  members: number;
  /** Sum of member balances (debts included). */
  supply: bigint;
  /** 0 (equal) … (n−1)/n (one member holds everything), 4 decimals; debts count as 0. */
  gini: number;
  /** Share of the supply the richest tenth of members (rounded up) hold, in basis points. */
  top10ShareBps: bigint;
  /** The Lorenz curve at each tenth of members, poorest first: cumulative share in basis points (11 points). */
  lorenz: bigint[];
  /** How far `gini` may be from the exact value (besides its rounding to 4 decimals); 0 when exact. */
  giniBound: number;
  /** How far `top10ShareBps` and each Lorenz point may be from the exact value, in basis points (rounded up). */
  shareBoundBps: bigint;
}

interface Bucket {
  count: bigint;
  /** Holdings summed, debts counted as 0. */
  held: bigint;
  low: bigint;
  width: bigint;
}

/** An estimate and how far the truth may be from it. */
interface Estimate {
  value: bigint;
  error: bigint;
}

export function distributionFromHoldings(rows: readonly HoldingsBucket[]): Distribution {
  const buckets: Bucket[] = [...rows]
    .filter((r) => r.members > 0n)
    .sort((a, b) => a.bucket - b.bucket)
    .map((r) => ({
      count: r.members,
      held: r.bucket === DEBT_BUCKET ? 0n : r.amount,
      ...holdingRange(r.bucket),
    }));
  const n = buckets.reduce((sum, b) => sum + b.count, 0n);
  const held = buckets.reduce((sum, b) => sum + b.held, 0n);
  const supply = rows.reduce((sum, r) => sum + r.amount, 0n);
  const smallest = (k: bigint) => sumOfSmallest(buckets, k);
  const top = smallest(n - (n + 9n) / 10n);
  const deciles = Array.from({ length: 9 }, (_, k) => smallest((BigInt(k + 1) * n) / 10n));
  const gini = giniOf(buckets, n, held);
  const shareError = [top, ...deciles].reduce((max, e) => (e.error > max ? e.error : max), 0n);
  return {
    members: Number(n),
    supply,
    gini: gini.value,
    top10ShareBps: ratioBps(held - top.value, held) ?? 0n,
    lorenz: [0n, ...deciles.map((d) => d.value), held].map((part) => ratioBps(part, held) ?? 0n),
    giniBound: gini.bound,
    shareBoundBps: held > 0n ? (shareError * 10_000n + held - 1n) / held : 0n,
  };
}

/** G = 2·Σ i·xᵢ / (n·Σx) − (n+1)/n over holdings sorted ascending, Σ i·xᵢ estimated per bucket (×4). */
function giniOf(buckets: readonly Bucket[], n: bigint, held: bigint): { value: number; bound: number } {
  if (held === 0n) return { value: 0, bound: 0 };
  let before = 0n;
  let weighted4 = 0n;
  let error4 = 0n;
  for (const b of buckets) {
    const spread = b.width * ((b.count * b.count) / 4n);
    weighted4 += 4n * b.held * before + 2n * (b.count + 1n) * b.held + spread;
    error4 += spread;
    before += b.count;
  }
  const value = roundedRatio(2n * weighted4 - 4n * (n + 1n) * held, 4n * n * held, 4);
  return { value, bound: error4 === 0n ? 0 : Number(error4) / (2 * Number(n) * Number(held)) };
}

/** The holdings of the `k` poorest members: whole buckets, then part of the one the cut falls in. */
function sumOfSmallest(buckets: readonly Bucket[], k: bigint): Estimate {
  let left = k;
  let sum = 0n;
  for (const b of buckets) {
    if (left <= 0n) break;
    if (left >= b.count) {
      sum += b.held;
      left -= b.count;
      continue;
    }
    // `left` of the bucket's members, the poorest of them: at most their average share of its total
    // and at least what the others leave when they hold the most they can.
    const most = (left * b.held) / b.count;
    const rest = b.held - (b.count - left) * (b.low + b.width);
    // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.max refuses
    const least = rest > left * b.low ? rest : left * b.low;
    const value = (least + most) / 2n;
    return { value: sum + value, error: most - value };
  }
  return { value: sum, error: 0n };
}

/** The distribution of these member holdings as the histogram the write path keeps for them gives it. */
export function distribution(holdings: readonly bigint[]): Distribution {
  const sums = new RollupSums();
  for (const holding of holdings) sums.addHolding('', null, holding);
  return distributionFromHoldings(
    sums.values().map((r) => ({ bucket: r.bucket, members: r.count, amount: r.amount })),
  );
}
