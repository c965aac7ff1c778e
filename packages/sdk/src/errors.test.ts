import { describe, expect, it } from 'vitest';
import { ErrorCode, GuildmintError, isGuildmintError, RetryLaterError, ValidationError } from './errors.js';

describe('GuildmintError brand', () => {
  it('recognises an error made by another copy of the SDK (ESM beside CJS)', () => {
    // What another copy's class looks like from here: a different class carrying the same global brand.
    class OtherCopyError extends Error {
      readonly code = ErrorCode.INSUFFICIENT_FUNDS;
      constructor() {
        super('from the other copy');
        Object.defineProperty(this, Symbol.for('@guildmint/sdk/GuildmintError'), { value: true });
      }
    }
    const foreign = new OtherCopyError();
    expect(foreign instanceof GuildmintError).toBe(true);
    expect(isGuildmintError(foreign, ErrorCode.INSUFFICIENT_FUNDS)).toBe(true);
    expect(isGuildmintError(new Error('plain'))).toBe(false);
    expect(isGuildmintError({ code: 'INSUFFICIENT_FUNDS' })).toBe(false);
  });

  it('keeps instanceof of the subclasses exact', () => {
    const retry = new RetryLaterError(ErrorCode.COOLDOWN, 'wait', new Date(0));
    expect(retry instanceof GuildmintError).toBe(true);
    expect(retry instanceof RetryLaterError).toBe(true);
    expect(retry instanceof ValidationError).toBe(false);
    expect(new GuildmintError(ErrorCode.INTERNAL, 'x') instanceof RetryLaterError).toBe(false);
  });
});
