import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../errors.js';
import { retryLaterError } from '../policy/testing.js';
import { createRateLimiter } from './rate-limit.js';

// Fake timers drive the library's clock (`Date.now`) and its expiry timers: no real waiting.
const START = new Date('2026-03-01T10:00:00Z');
beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createRateLimiter (in process)', () => {
  it('allows perMinute commands, then says RATE_LIMITED with when to retry', async () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 3; i++) await limiter.consume('guild-1', '42', 3);
    vi.advanceTimersByTime(20_000);
    const error = await retryLaterError(limiter.consume('guild-1', '42', 3));
    expect(error.code).toBe(ErrorCode.RATE_LIMITED);
    // The window opened with the first command: 40 s remain.
    expect(error.retryAt).toEqual(new Date(START.getTime() + 60_000));
    expect(error.retryAt.getTime()).toBeGreaterThan(Date.now());
    expect(error.message).toBe('slow down: try again in 40 seconds');
  });

  it('opens a new window once the minute has passed', async () => {
    const limiter = createRateLimiter();
    await limiter.consume('guild-1', '42', 1);
    await retryLaterError(limiter.consume('guild-1', '42', 1));
    vi.advanceTimersByTime(59_999);
    await retryLaterError(limiter.consume('guild-1', '42', 1));
    vi.advanceTimersByTime(1);
    await expect(limiter.consume('guild-1', '42', 1)).resolves.toBeUndefined();
    await retryLaterError(limiter.consume('guild-1', '42', 1));
  });

  it('counts each member of each tenant apart', async () => {
    const limiter = createRateLimiter();
    await limiter.consume('guild-1', '42', 1);
    await limiter.consume('guild-1', '43', 1);
    await limiter.consume('guild-2', '42', 1);
    await retryLaterError(limiter.consume('guild-1', '42', 1));
  });

  it('applies a changed limit at once, to the same counter', async () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 3; i++) await limiter.consume('guild-1', '42', 10);
    await retryLaterError(limiter.consume('guild-1', '42', 3));
    // Refused commands count too: 4 used, so a limit of 5 leaves one.
    await limiter.consume('guild-1', '42', 5);
    await retryLaterError(limiter.consume('guild-1', '42', 5));
  });

  it('gives a counted command back (a replay is no new command), refused or not', async () => {
    const limiter = createRateLimiter();
    await limiter.consume('guild-1', '42', 2);
    await limiter.consume('guild-1', '42', 2);
    await limiter.refund!('guild-1', '42');
    await limiter.consume('guild-1', '42', 2);
    await retryLaterError(limiter.consume('guild-1', '42', 2));
    await limiter.refund!('guild-1', '42');
    await retryLaterError(limiter.consume('guild-1', '42', 2));
    await limiter.refund!('guild-1', '42');
    await limiter.refund!('guild-1', '42');
    await limiter.consume('guild-1', '42', 2);
    await retryLaterError(limiter.consume('guild-1', '42', 2));
  });

  it('keeps separate limiters separate', async () => {
    const a = createRateLimiter();
    const b = createRateLimiter();
    await a.consume('guild-1', '42', 1);
    await expect(b.consume('guild-1', '42', 1)).resolves.toBeUndefined();
  });

  it('refuses a bad limit or member id', async () => {
    const limiter = createRateLimiter();
    for (const perMinute of [0, 1.5, 601, Number.NaN]) {
      await expect(limiter.consume('guild-1', '42', perMinute)).rejects.toMatchObject({
        code: ErrorCode.INVALID_INPUT,
      });
    }
    await expect(limiter.consume('guild-1', 'a:b', 5)).rejects.toMatchObject({
      code: ErrorCode.INVALID_ACCOUNT,
    });
    await expect(limiter.consume('', '42', 5)).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT });
  });
});
