import { describe, expect, it } from 'vitest';
import { parseShardIds, resolveShards, shardForGuild, shardRange } from './sharding.js';

describe('sharding', () => {
  it('parses lists and ranges', () => {
    expect(parseShardIds('3, 0,1-2,2')).toEqual([0, 1, 2, 3]);
    expect(() => parseShardIds('3-1')).toThrow(/backwards/);
    expect(() => parseShardIds('a')).toThrow(/not a shard id/);
  });

  it('splits shards into contiguous ranges that cover every shard exactly once', () => {
    for (const [processes, count] of [
      [1, 1],
      [2, 4],
      [3, 4],
      [3, 10],
      [7, 16],
    ] as const) {
      const ranges = Array.from({ length: processes }, (_, i) => shardRange(i, processes, count));
      expect(ranges.flat()).toEqual(Array.from({ length: count }, (_, i) => i));
      const sizes = ranges.map((r) => r.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(shardRange(1, 2, 4)).toEqual([2, 3]);
    expect(() => shardRange(2, 2, 4)).toThrow(/outside/);
    expect(() => shardRange(0, 3, 2)).toThrow(/cannot be split/);
  });

  it("computes a guild's shard as Discord does", () => {
    // (id >> 22) % count: the documented formula.
    expect(shardForGuild('41771983423143937', 4)).toBe(Number((41771983423143937n >> 22n) % 4n));
    expect(shardForGuild('0', 4)).toBe(0);
  });

  it('asks Discord for the count only when the plan leaves it open', async () => {
    let asked = 0;
    const recommended = async () => {
      asked++;
      return 1;
    };
    expect(await resolveShards({ kind: 'ids', ids: [1], count: 2 }, recommended)).toEqual({
      ids: [1],
      count: 2,
    });
    expect(await resolveShards({ kind: 'process', index: 1, processes: 2, count: 4 }, recommended)).toEqual({
      ids: [2, 3],
      count: 4,
    });
    expect(asked).toBe(0);
    // Discord recommends 1 shard, but two processes need at least two.
    expect(await resolveShards({ kind: 'process', index: 1, processes: 2 }, recommended)).toEqual({
      ids: [1],
      count: 2,
    });
    expect(asked).toBe(1);
    expect(await resolveShards({ kind: 'auto' }, recommended)).toBe('auto');
  });
});
