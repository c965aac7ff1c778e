import { describe, expect, it } from 'vitest';
import { levelsSchema } from '../config/levels.js';
import { levelOf, roleRewardsBetween, xpForLevel, xpForNextLevel } from './curve.js';

const mee6 = { a: 5, b: 50, c: 100 };

describe('the XP curve', () => {
  it("follows MEE6's steps and totals", () => {
    expect([0, 1, 2, 10].map((n) => xpForNextLevel(mee6, n))).toEqual([100, 155, 220, 1_100]);
    expect(xpForLevel(mee6, 3)).toBe(475);
    expect(levelOf(mee6, 0)).toEqual({ level: 0, intoLevel: 0, levelSpan: 100, nextLevelAt: 100 });
    expect(levelOf(mee6, 474).level).toBe(2);
    expect(levelOf(mee6, 475)).toMatchObject({ level: 3, intoLevel: 0, nextLevelAt: 475 + 295 });
  });

  it('is the inverse of xpForLevel at every level boundary', () => {
    for (let level = 0; level < 200; level++) {
      expect(levelOf(mee6, xpForLevel(mee6, level)).level).toBe(level);
      if (level > 0) expect(levelOf(mee6, xpForLevel(mee6, level) - 1).level).toBe(level - 1);
    }
  });

  it('names the role rewards crossed by a level-up, in level order', () => {
    const config = levelsSchema.parse({
      roleRewards: [
        { level: 5, roleId: '5' },
        { level: 1, roleId: '1' },
        { level: 3, roleId: '3' },
      ],
    });
    expect(roleRewardsBetween(config, 0, 4)).toEqual(['1', '3']);
    expect(roleRewardsBetween(config, 3, 3)).toEqual([]);
    expect(roleRewardsBetween(config, 3, 9)).toEqual(['5']);
  });

  it('refuses a config with two roles for one level, and a range upside down', () => {
    expect(
      levelsSchema.safeParse({
        roleRewards: [
          { level: 1, roleId: '1' },
          { level: 1, roleId: '2' },
        ],
      }).success,
    ).toBe(false);
    expect(levelsSchema.safeParse({ message: { xp: { min: 9, max: 1 } } }).success).toBe(false);
    expect(levelsSchema.parse({}).enabled).toBe(false);
  });
});
