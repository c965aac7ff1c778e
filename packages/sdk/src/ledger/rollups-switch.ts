/**
 * Bench-only: with `GUILDMINT_BENCH_ROLLUPS=off` in the environment the write path keeps no analytics
 * rollups (and reads no member's other accounts for the holdings histogram), so `bench:ledger --rollups off`
 * can measure what they cost it. Not an option: the analytics are wrong under it; nothing else sets it.
 * Read per group, so a benchmark may set it after loading the SDK (a libSQL writer thread takes the
 * environment its store starts with).
 */
export function rollupsKept(): boolean {
  return process.env.GUILDMINT_BENCH_ROLLUPS !== 'off';
}
