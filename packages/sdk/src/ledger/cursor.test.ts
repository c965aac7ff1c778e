import { describe, expect, it } from 'vitest';
import { GuildmintError } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('cursor', () => {
  it('round-trips a position', () => {
    for (const seq of [1n, 42n, 2n ** 62n]) expect(decodeCursor(encodeCursor(seq))).toBe(seq);
  });

  it('rejects anything it did not make', () => {
    for (const bad of [
      '',
      'abc',
      'gm1.',
      'gm1.LTE',
      `gm1.${Buffer.from('0').toString('base64url')}`,
      5,
      null,
    ]) {
      expect(() => decodeCursor(bad)).toThrow(GuildmintError);
    }
  });
});
