import { describe, expect, it } from 'vitest';
import { Coalescer, inOrder } from './coalescer.js';

describe('Coalescer', () => {
  it('runs the calls of one turn as one flush and answers each in order', async () => {
    const flushes: number[][] = [];
    const c = new Coalescer<number, number>(
      inOrder(async (inputs) => {
        flushes.push(inputs);
        return inputs.map((n) => n * 10);
      }),
    );
    const answers = await Promise.all([1, 2, 3].map((n) => c.submit(n)));
    expect(answers).toEqual([10, 20, 30]);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it('gathers the calls made during a flush into the next one, and keeps to the largest batch', async () => {
    const flushes: string[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => {
      release = resolve;
    });
    const c = new Coalescer<string, string>(
      inOrder(async (inputs) => {
        flushes.push(inputs);
        if (flushes.length === 1) await first;
        return inputs.map((s) => s.toUpperCase());
      }),
      2,
    );
    const a = c.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toEqual([['a']]);
    const later = ['b', 'c', 'd'].map((s) => c.submit(s));
    release();
    expect(await Promise.all([a, ...later])).toEqual(['A', 'B', 'C', 'D']);
    expect(flushes).toEqual([['a'], ['b', 'c'], ['d']]);
    await c.idle();
  });

  it('rejects only the calls of a failed flush, and goes on with the next', async () => {
    let calls = 0;
    const c = new Coalescer<number, number>(
      inOrder(async (inputs) => {
        calls++;
        if (calls === 1) throw new Error('database is locked');
        return inputs;
      }),
    );
    const failed = [c.submit(1), c.submit(2)];
    await expect(Promise.all(failed)).rejects.toThrow('database is locked');
    await expect(failed[1]).rejects.toThrow('database is locked');
    expect(await c.submit(3)).toBe(3);
  });

  it('lets a flush answer each call on its own: one refused, the others answered', async () => {
    const c = new Coalescer<number, number>(async (calls) => {
      for (const call of calls) {
        if (call.input < 0) call.reject(new Error(`${call.input} refused`));
        else call.resolve(call.input + 1);
      }
    });
    const answers = await Promise.allSettled([c.submit(1), c.submit(-1), c.submit(2)]);
    expect(answers).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('-1 refused') },
      { status: 'fulfilled', value: 3 },
    ]);
  });

  it('idle() waits for every call submitted so far', async () => {
    const done: number[] = [];
    const c = new Coalescer<number, void>(
      inOrder(async (inputs) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        done.push(...inputs);
        return inputs.map(() => undefined);
      }),
    );
    void c.submit(1);
    void c.submit(2);
    await c.idle();
    expect(done).toEqual([1, 2]);
    await c.idle();
  });
});
