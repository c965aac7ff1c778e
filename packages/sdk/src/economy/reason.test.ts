import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEconomy, type Economy } from '../index.js';
import { MAX_REASON_LENGTH, reasonProblem } from './reason.js';

const EMOJI = '🪙'; // two UTF-16 code units, one code point

describe('reasonProblem', () => {
  it('accepts ordinary reasons, up to the limit in UTF-16 code units', () => {
    expect(reasonProblem('refund for the outage')).toBeNull();
    expect(reasonProblem('r'.repeat(MAX_REASON_LENGTH))).toBeNull();
    expect(reasonProblem(EMOJI.repeat(MAX_REASON_LENGTH / 2))).toBeNull();
  });

  it('counts an emoji as two, as the stores and every length check in the SDK do', () => {
    // 300 code points pass a code-point count of 500, not the SDK's.
    expect(reasonProblem(EMOJI.repeat(300))).toMatch(/at most 500/);
    expect(reasonProblem('r'.repeat(MAX_REASON_LENGTH + 1))).toMatch(/at most 500/);
  });

  it('refuses NUL and every other control character, and lone surrogates', () => {
    for (const bad of ['a\u0000b', 'tab\there', 'line\nbreak', 'del\u007f', 'c1\u0085', 'half\ud83d'])
      expect([bad, reasonProblem(bad)]).toEqual([bad, expect.stringMatching(/control characters/)]);
  });

  it('refuses reasons that show nothing: empty, spaces, zero-width and other invisible characters', () => {
    for (const blank of [
      '',
      '   ',
      '\u200b\u200b',
      '\u200d\ufeff\u2060',
      '\u3164',
      '\u2800 \u00a0',
      '\u0301',
    ])
      expect([blank, reasonProblem(blank)]).toEqual([blank, expect.stringMatching(/visible/)]);
  });

  it('refuses what is not text', () => {
    expect(reasonProblem(undefined)).toBe('must be text');
    expect(reasonProblem(42)).toBe('must be text');
  });
});

describe('admin actions apply the rule and change nothing when refused', () => {
  let economy: Economy;
  beforeAll(async () => {
    economy = createEconomy({ storage: ':memory:' });
    await economy.migrate();
  });
  afterAll(() => economy.close());

  it.each([
    ['a NUL', 'nul', 'bonus\u0000hidden'],
    ['zero-width characters only', 'zero-width', '\u200b\u200c\u200b'],
    ['300 emoji', 'emoji', EMOJI.repeat(300)],
  ])('grant, freeze and rollback refuse a reason with %s', async (_, tenantId, reason) => {
    const tenant = economy.tenant(tenantId);
    const user = '100000000000000001';
    await expect(tenant.grant(user, 5n, { reason })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tenant.freeze(user, { reason })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tenant.rollback(user, { since: new Date(0), reason })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await tenant.balance(user)).toBe(0n);
    expect(await tenant.isFrozen(user)).toBe(false);
    expect(await tenant.auditLog()).toEqual([]);
  });
});
