import { describe, expect, it } from 'vitest';
import { ReadBatcher } from './read-batcher.js';

describe('ReadBatcher', () => {
  it('answers every caller of one turn from one fetch of their distinct keys', async () => {
    const fetches: string[][] = [];
    const batcher = new ReadBatcher<string, number>(
      async (keys) => {
        fetches.push(keys);
        return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
      },
      (key) => key,
    );
    const [a, b, c] = await Promise.all([
      batcher.read(['one', 'three']),
      batcher.read(['three', 'missing']),
      batcher.read([]),
    ]);
    expect(fetches).toEqual([['one', 'three', 'missing']]);
    expect(a.get('one')).toBe(3);
    expect(b.get('three')).toBe(5);
    expect(b.has('missing')).toBe(false);
    expect(c.size).toBe(0);
    await batcher.read(['again']);
    expect(fetches).toHaveLength(2);
  });

  it('fails every caller of a failed fetch with its error, and serves the next turn afresh', async () => {
    let fail = true;
    const batcher = new ReadBatcher<string, number>(
      async (keys) => {
        if (fail) throw new Error('down');
        return new Map(keys.map((k) => [k, 1]));
      },
      (key) => key,
    );
    const results = await Promise.allSettled([batcher.read(['a']), batcher.read(['b'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect((await batcher.read(['a'])).get('a')).toBe(1);
  });
});
