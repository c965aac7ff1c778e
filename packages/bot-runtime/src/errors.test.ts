import { ErrorCode, GuildmintError, RetryLaterError, ValidationError } from '@guildmint/sdk';
import { describe, expect, it } from 'vitest';
import { describeError, RuntimeError, RuntimeErrorCode } from './errors.js';
import { errorReply } from './replies.js';

describe('friendly errors', () => {
  it('says when a cooldown ends, as a Discord timestamp', () => {
    const retryAt = new Date('2026-03-10T12:00:00.400Z');
    const friendly = describeError(
      new RetryLaterError(ErrorCode.COOLDOWN, '"daily" is on cooldown', retryAt),
    );
    expect(friendly).toMatchObject({ code: 'COOLDOWN', title: 'Not yet', expected: true });
    expect(friendly.message).toBe(`You can do this again <t:${Math.ceil(retryAt.getTime() / 1000)}:R>.`);
  });

  it('tells the member what to do for each refusal', () => {
    const cases: Array<[GuildmintError, string, RegExp]> = [
      [new GuildmintError(ErrorCode.INSUFFICIENT_FUNDS, 'x'), 'INSUFFICIENT_FUNDS', /Check `\/balance`/],
      [new GuildmintError(ErrorCode.ACCOUNT_FROZEN, 'x'), 'ACCOUNT_FROZEN', /Ask the server staff/],
      [
        new GuildmintError(ErrorCode.OUT_OF_STOCK, '"Trophy" is sold out'),
        'OUT_OF_STOCK',
        /^"Trophy" is sold out\. See/,
      ],
      [
        new ValidationError(ErrorCode.INVALID_INPUT, [
          { path: 'bet', message: 'must be between 10 and 5000' },
        ]),
        'INVALID_INPUT',
        /^Bet: must be between 10 and 5000\. Check/,
      ],
      [new RetryLaterError(ErrorCode.RATE_LIMITED, 'slow', new Date(0)), 'RATE_LIMITED', /Try again <t:0:R>/],
      [
        new GuildmintError(
          ErrorCode.PLAN_LIMIT,
          'the Free plan allows 250 members with a balance (251 asked)',
        ),
        'PLAN_LIMIT',
        /^The Free plan allows 250 members with a balance \(251 asked\)\. Ask the server owner\.$/,
      ],
    ];
    for (const [error, code, message] of cases) {
      const friendly = describeError(error);
      expect(friendly.code).toBe(code);
      expect(friendly.message).toMatch(message);
      expect(friendly.expected).toBe(true);
    }
  });

  it('turns an outage into "check /balance, then try again" (never "nothing changed") and flags it for the logs', () => {
    const friendly = describeError(
      new GuildmintError(ErrorCode.STORE_UNAVAILABLE, 'the database could not be reached'),
    );
    expect(friendly).toMatchObject({ code: 'STORE_UNAVAILABLE', expected: false });
    expect(friendly.message).toMatch(/Check \/balance before trying again/);
    expect(friendly.message).not.toMatch(/nothing/i);
  });

  it('never shows an unexpected error to the member', () => {
    const friendly = describeError(new TypeError('secret internals at line 42'));
    expect(friendly).toMatchObject({ code: 'INTERNAL', expected: false });
    expect(friendly.message).not.toMatch(/secret/);
  });

  it('claims "nothing was charged" only for a failure known to come before any write', () => {
    for (const error of [
      new TypeError('boom'),
      new GuildmintError(ErrorCode.IDEMPOTENCY_CONFLICT, 'key reused'),
      new GuildmintError(ErrorCode.INTERNAL, 'a bug'),
    ]) {
      const unknown = describeError(error);
      expect(unknown.message).not.toMatch(/nothing was charged/i);
      expect(unknown.message).toMatch(/Check `\/balance` before trying again/);
      expect(describeError(error, { beforeAnyWrite: true }).message).toMatch(/^Nothing was charged\./);
    }
  });

  it('runtime errors carry their code; every error reply is ephemeral', () => {
    const friendly = describeError(
      new RuntimeError(RuntimeErrorCode.UNKNOWN_COMMAND, '/dice is not available in this server'),
    );
    expect(friendly.code).toBe('UNKNOWN_COMMAND');
    expect(friendly.message).toBe(
      '/dice is not available in this server. Type `/` to see the commands this server offers.',
    );
    expect(errorReply(friendly)).toMatchObject({ ephemeral: true, embeds: [{ title: '⚠️ Unknown command' }] });
  });
});
