import { describe, expect, it } from 'vitest';
import { formatAmount, formatUnits, parseUnits } from './money';

describe('money display', () => {
  it('formats minor units with the tenant’s decimals and symbol', () => {
    expect(formatUnits(1234567n, 0)).toBe('1,234,567');
    expect(formatUnits(123456n, 2)).toBe('1,234.56');
    expect(formatUnits(5n, 2)).toBe('0.05');
    expect(formatUnits(-1500n, 0)).toBe('−1,500');
    expect(formatUnits(2n ** 63n - 1n, 0)).toBe('9,223,372,036,854,775,807');
    expect(formatAmount(250n, { symbol: '🪙', decimals: 0 })).toBe('🪙 250');
  });

  it('parses what people type, refusing anything it would have to round', () => {
    expect(parseUnits('12.5', 2)).toBe(1250n);
    expect(parseUnits('1,000', 0)).toBe(1000n);
    expect(parseUnits(' 7 ', 0)).toBe(7n);
    expect(parseUnits('0.001', 2)).toBeNull();
    expect(parseUnits('1.5', 0)).toBeNull();
    expect(parseUnits('-3', 0)).toBeNull();
    expect(parseUnits('abc', 0)).toBeNull();
    expect(parseUnits('', 0)).toBeNull();
  });
});
