/**
 * How far a game's observed return may stray from the configured one by chance alone: an approximate
 * 95 % band. Rollups keep sums, not each round's payout, so the spread per round is modelled as a game
 * whose win pays `m`× the stake with probability rtp/m (variance rtp·m − rtp²), `m` being the game's
 * typical win: even-money games 2, blackjack 2.5 (naturals and doubles), slots 10 (long odds). A game
 * with longer odds than modelled swings more than its band says; the band is a guide, not a test.
 */
const TYPICAL_WIN: Record<string, number> = { coinflip: 2, dice: 2, roulette: 2, blackjack: 2.5, slots: 10 };
const Z95 = 1.96;

export interface RtpBand {
  low: number;
  high: number;
}

/** Null before any round, or for a game with no configured return. */
export function rtpBand(game: string, configuredRtp: number | null, rounds: number): RtpBand | null {
  if (configuredRtp === null || rounds <= 0) return null;
  const m = TYPICAL_WIN[game] ?? 2;
  const variance = Math.max(0, configuredRtp * m - configuredRtp * configuredRtp);
  const half = Z95 * Math.sqrt(variance / rounds);
  const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
  return { low: round4(Math.max(0, configuredRtp - half)), high: round4(configuredRtp + half) };
}
