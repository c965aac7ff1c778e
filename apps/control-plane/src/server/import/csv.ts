import { MAX_AMOUNT } from '../sdk';
import { type BalanceRow, SNOWFLAKE } from './balance-row';
import { ImportError } from './errors';

export const CSV_HEADER = 'user_id,cash,bank';
/** A file larger than this is refused before it is read (about 200,000 members). */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;
/** Problems listed at most (the count says how many more). */
const MAX_ISSUES = 20;
const WHOLE = /^\d{1,19}$/;

/**
 * Balances from a CSV file: the header `user_id,cash,bank`, then one member per line with a Discord id
 * and whole, non-negative amounts (cash to the wallet, bank to the bank). Strict: any problem refuses the
 * whole file, every problem listed with its line number, so nothing is imported from a file half read.
 */
export function parseBalancesCsv(text: string): BalanceRow[] {
  if (Buffer.byteLength(text) > MAX_CSV_BYTES)
    throw new ImportError('CSV_INVALID', `the file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB`);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const issues: string[] = [];
  let count = 0;
  const problem = (line: number, what: string) => {
    if (++count <= MAX_ISSUES) issues.push(`line ${line}: ${what}`);
  };
  if (lines[0]?.trim().toLowerCase() !== CSV_HEADER)
    problem(1, `the first line must be the header ${CSV_HEADER}`);
  const rows: BalanceRow[] = [];
  const seen = new Map<string, number>();
  lines.slice(1).forEach((raw, index) => {
    const line = index + 2;
    const found = rowOf(raw, line, seen);
    if (typeof found === 'string') problem(line, found);
    else rows.push(found);
  });
  if (count > 0) {
    if (count > MAX_ISSUES) issues.push(`and ${count - MAX_ISSUES} more`);
    throw new ImportError(
      'CSV_INVALID',
      `the CSV file has ${count} problem(s); nothing was imported`,
      issues,
    );
  }
  return rows;
}

/** One line's member, or what is wrong with it. */
function rowOf(raw: string, line: number, seen: Map<string, number>): BalanceRow | string {
  const fields = raw.split(',').map((f) => f.trim());
  if (fields.length !== 3) return `expected 3 fields (${CSV_HEADER}), found ${fields.length}`;
  const [userId, cash, bank] = fields as [string, string, string];
  if (!SNOWFLAKE.test(userId)) return `"${userId.slice(0, 30)}" is not a Discord user id`;
  const first = seen.get(userId);
  if (first !== undefined) return `user ${userId} is already on line ${first}`;
  seen.set(userId, line);
  for (const [name, value] of [
    ['cash', cash],
    ['bank', bank],
  ] as const) {
    if (!WHOLE.test(value) || BigInt(value) > MAX_AMOUNT)
      return `${name} "${value.slice(0, 30)}" is not a whole number of coins from 0 to ${MAX_AMOUNT}`;
  }
  return { userId, wallet: BigInt(cash), bank: BigInt(bank) };
}
