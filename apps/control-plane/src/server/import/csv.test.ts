import { describe, expect, it } from 'vitest';
import { parseBalancesCsv } from './csv';
import { ImportError } from './errors';

const problems = (text: string) => {
  try {
    parseBalancesCsv(text);
  } catch (error) {
    if (error instanceof ImportError) return error.issues;
    throw error;
  }
  return [];
};

describe('CSV balances', () => {
  it('reads the header, then one member per line (BOM, CRLF, spaces and a final newline allowed)', () => {
    expect(
      parseBalancesCsv(
        '\uFEFFuser_id,cash,bank\r\n300000000000000001, 12 ,0\r\n300000000000000002,0,9223372036854775807\n',
      ),
    ).toEqual([
      { userId: '300000000000000001', wallet: 12n, bank: 0n },
      { userId: '300000000000000002', wallet: 0n, bank: 9223372036854775807n },
    ]);
    expect(parseBalancesCsv('user_id,cash,bank\n')).toEqual([]);
  });

  it('lists every problem with its line number and refuses the whole file', () => {
    const text = [
      'id,cash,bank',
      '300000000000000001,10,5',
      'alice,10,5',
      '300000000000000002,-1,5',
      '300000000000000003,1.5,5',
      '300000000000000001,1,1',
      '300000000000000004,10',
      '300000000000000005,9223372036854775808,0',
    ].join('\n');
    expect(problems(text)).toEqual([
      'line 1: the first line must be the header user_id,cash,bank',
      'line 3: "alice" is not a Discord user id',
      'line 4: cash "-1" is not a whole number of coins from 0 to 9223372036854775807',
      'line 5: cash "1.5" is not a whole number of coins from 0 to 9223372036854775807',
      'line 6: user 300000000000000001 is already on line 2',
      'line 7: expected 3 fields (user_id,cash,bank), found 2',
      'line 8: cash "9223372036854775808" is not a whole number of coins from 0 to 9223372036854775807',
    ]);
  });

  it('lists twenty problems and counts the rest', () => {
    const text = ['user_id,cash,bank', ...Array.from({ length: 25 }, () => 'x,1,1')].join('\n');
    const issues = problems(text);
    expect(issues).toHaveLength(21);
    expect(issues.at(-1)).toBe('and 5 more');
  });
});
