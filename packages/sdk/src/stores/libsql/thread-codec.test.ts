import { describe, expect, it } from 'vitest';
import { ErrorCode, GuildmintError, RetryLaterError, ValidationError } from '../../errors.js';
import { classifySqliteError } from '../store-errors.js';
import { decodeError, encodeError } from './thread-codec.js';

/** Through encode, a structured clone (what postMessage does) and decode. */
function across(error: unknown): Error {
  return decodeError(structuredClone(encodeError(error)));
}

describe('errors across the writer thread boundary', () => {
  it('come back as the GuildmintError they were: code, message, retryAt, issues', () => {
    const retryAt = new Date('2026-01-02T03:04:05Z');
    const cooldown = across(new RetryLaterError(ErrorCode.COOLDOWN, 'wait', retryAt));
    expect(cooldown).toBeInstanceOf(RetryLaterError);
    expect(cooldown).toMatchObject({ code: ErrorCode.COOLDOWN, message: 'wait', retryAt });

    const invalid = across(new ValidationError(ErrorCode.INVALID_INPUT, [{ path: 'a.b', message: 'bad' }]));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({
      code: ErrorCode.INVALID_INPUT,
      issues: [{ path: 'a.b', message: 'bad' }],
    });

    const funds = across(new GuildmintError(ErrorCode.INSUFFICIENT_FUNDS, 'not enough'));
    expect(funds).toBeInstanceOf(GuildmintError);
    expect(funds).toMatchObject({ code: ErrorCode.INSUFFICIENT_FUNDS, message: 'not enough' });
  });

  it('keep a driver error’s SQLite code, so busy is retried and a constraint maps as before', () => {
    const busy = across(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    expect(classifySqliteError(busy)).toBe('transient');
    const check = across(
      Object.assign(new Error('CHECK constraint failed'), { code: 'SQLITE_CONSTRAINT_CHECK' }),
    );
    expect(classifySqliteError(check)).toBe('data');
    const bug = across(new TypeError('x is undefined'));
    expect(bug).toMatchObject({ name: 'TypeError', message: 'x is undefined' });
    expect(classifySqliteError(bug)).toBe('unknown');
  });
});
