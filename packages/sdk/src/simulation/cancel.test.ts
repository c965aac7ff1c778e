import { describe, expect, it } from 'vitest';
import { presets } from '../config/presets.js';
import { simulateEconomy } from './index.js';

// A server runs simulations on behalf of a request: when the request goes, the work must stop.
describe('simulateEconomy with an abort signal', () => {
  it('stops within the next simulated hour of the abort and rejects with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('the client went away');
    const seen: number[] = [];
    const run = simulateEconomy({
      config: presets.cozy,
      members: 20,
      days: 30,
      seed: 7,
      signal: controller.signal,
      onDay: (day) => {
        seen.push(day.day);
        if (day.day === 1) controller.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(seen).toEqual([1]);
  });

  it('does not start when the signal is already aborted', async () => {
    const seen: number[] = [];
    const run = simulateEconomy({
      config: presets.cozy,
      members: 20,
      days: 30,
      seed: 7,
      signal: AbortSignal.abort(new Error('gone before it began')),
      onDay: (day) => seen.push(day.day),
    });
    await expect(run).rejects.toThrow('gone before it began');
    expect(seen).toEqual([]);
  });
});
