import { describe, expect, it } from 'vitest';
import { GuildmintError } from '../errors.js';
import { canonicalMetadata, derivedId, isDerivedFrom, normalizeTransfer, sameContent } from './normalize.js';

describe('normalizeTransfer', () => {
  it('fills in an id and canonical metadata', () => {
    const t = normalizeTransfer({
      from: 'user:1',
      to: 'user:2',
      amount: 1n,
      code: 'p2p',
      metadata: { b: 1, a: 2 },
    });
    expect(t.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.metadata).toBe('{"a":2,"b":1}');
  });

  it('names the path of the bad field', () => {
    try {
      normalizeTransfer({
        from: 'user:1',
        to: 'user:2',
        amount: 1n,
        code: 'p2p',
        metadata: { deep: { n: 1n } },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GuildmintError);
      expect((error as Error).message).toContain('transfer.metadata.deep.n');
    }
  });

  it('compares content, not identity', () => {
    const a = normalizeTransfer({
      id: 'x',
      from: 'user:1',
      to: 'user:2',
      amount: 1n,
      code: 'p2p',
      metadata: { a: 1 },
    });
    const b = normalizeTransfer({
      id: 'x',
      from: 'user:1',
      to: 'user:2',
      amount: 1n,
      code: 'p2p',
      metadata: { a: 1 },
    });
    expect(sameContent(a, b)).toBe(true);
    expect(sameContent(a, { ...b, amount: 2n })).toBe(false);
  });

  it('drops undefined keys like JSON does, and refuses what JSON cannot hold', () => {
    expect(canonicalMetadata({ a: undefined, b: null })).toBe('{"b":null}');
    expect(() => canonicalMetadata({ n: Number.NaN })).toThrow(GuildmintError);
    expect(() => canonicalMetadata({ d: new Date() })).toThrow(GuildmintError);
  });
});

describe('isDerivedFrom', () => {
  it('knows a key and the ids derived from it, and nothing that merely starts like it', () => {
    expect(isDerivedFrom('k1', 'k1')).toBe(true);
    expect(isDerivedFrom(derivedId('k1', 'tax'), 'k1')).toBe(true);
    expect(isDerivedFrom(derivedId('k1', 'role', '42'), 'k1')).toBe(true);
    expect(isDerivedFrom('k10', 'k1')).toBe(false);
    expect(isDerivedFrom(derivedId('k10', 'tax'), 'k1')).toBe(false);
    expect(isDerivedFrom('k', 'k1')).toBe(false);
  });
});
