import type { LevelsConfig } from '../config/levels.js';

/*
 * The XP curve: going from level n to n + 1 takes a·n² + b·n + c XP (MEE6's is 5, 50, 100), so level L
 * needs the sum of those steps for n < L. Whole numbers throughout; XP totals stay far below 2^53.
 */

type Curve = LevelsConfig['curve'];

/** XP to go from `level` to `level + 1`. */
export function xpForNextLevel(curve: Curve, level: number): number {
  return curve.a * level * level + curve.b * level + curve.c;
}

/** Total XP at which `level` is reached (0 for level 0). */
export function xpForLevel(curve: Curve, level: number): number {
  let total = 0;
  for (let n = 0; n < level; n++) total += xpForNextLevel(curve, n);
  return total;
}

export interface LevelProgress {
  level: number;
  /** XP gained since the current level was reached. */
  intoLevel: number;
  /** XP the current level takes to finish. */
  levelSpan: number;
  /** Total XP at which the next level is reached. */
  nextLevelAt: number;
}

/** The level a total XP reaches, and the progress toward the next. */
export function levelOf(curve: Curve, xp: number): LevelProgress {
  let level = 0;
  let floor = 0;
  for (;;) {
    const span = xpForNextLevel(curve, level);
    if (floor + span > xp)
      return { level, intoLevel: xp - floor, levelSpan: span, nextLevelAt: floor + span };
    floor += span;
    level++;
  }
}

/** The role rewards for levels in (from, to]: what a member earns by levelling from `from` to `to`. */
export function roleRewardsBetween(config: LevelsConfig, from: number, to: number): string[] {
  return config.roleRewards
    .filter((r) => r.level > from && r.level <= to)
    .sort((x, y) => x.level - y.level)
    .map((r) => r.roleId);
}
