/**
 * Bench-only: with `GUILDMINT_BENCH_ROLLUPS=off` in the environment the write path keeps no analytics
 * rollups (and reads no member's other accounts for the holdings histogram), so `bench:ledger --rollups off`
 * can measure what they cost it. Not an option: the analytics are wrong under it; nothing else sets it.
 * Read once, when the first group is planned (reading the environment per group costs the write path), so
 * a benchmark sets it before it commits anything; a libSQL writer thread reads the environment it starts with.
 */
let kept: boolean | undefined;

export function rollupsKept(): boolean {
  kept ??= process.env.GUILDMINT_BENCH_ROLLUPS !== 'off';
  return kept;
}
