import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT, parseAmount } from './amounts.js';

describe('parseAmount', () => {
  it('reads plain decimal digits', () => {
    expect(parseAmount('7')).toBe(7n);
    expect(parseAmount(MAX_AMOUNT.toString())).toBe(MAX_AMOUNT);
  });

  it.each([' 7 ', '7 ', '0x10', '0b1', '0o7', '1e3', '+5', '-5', '7.0', '1_000', '', '٣', '\u00007'])(
    'refuses %j',
    (text) => {
      expect(() => parseAmount(text)).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
    },
  );

  it('refuses zero, overflow and what is not text', () => {
    expect(() => parseAmount('0')).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
    expect(() => parseAmount((MAX_AMOUNT + 1n).toString())).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OVERFLOW' }),
    );
    expect(() => parseAmount(7)).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
  });
});
