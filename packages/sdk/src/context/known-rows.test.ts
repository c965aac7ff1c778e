import { describe, expect, it } from 'vitest';
import { KnownRows } from './known-rows.js';

const row = (version: bigint) => ({ value: version, json: `{"v":${version}}`, version });
const seed = (key: string) => ({ scope: 'seed', key });

describe('KnownRows', () => {
  it('keeps the newest version of a row, never an older one written later', () => {
    const known = new KnownRows();
    known.remember(seed('1'), row(2n));
    known.remember(seed('1'), row(1n));
    expect(known.get(seed('1'))).toEqual(row(2n));
    known.remember(seed('1'), row(3n));
    expect(known.get(seed('1'))).toEqual(row(3n));
    expect(known.get({ scope: 'round', key: '1' })).toBeUndefined();
    known.forget(seed('1'));
    expect(known.get(seed('1'))).toBeUndefined();
  });

  it('forgets the row written longest ago past its capacity', () => {
    const known = new KnownRows(2);
    known.remember(seed('1'), row(1n));
    known.remember(seed('2'), row(1n));
    known.remember(seed('1'), row(2n));
    known.remember(seed('3'), row(1n));
    expect(known.get(seed('2'))).toBeUndefined();
    expect(known.get(seed('1'))).toEqual(row(2n));
    expect(known.get(seed('3'))).toEqual(row(1n));
  });
});
