/**
 * Every database error the SDK meets is sorted here, by PostgreSQL SQLSTATE or SQLite code:
 * - transient: retry the whole transaction (serialization, deadlock, busy, a racing insert of the same key);
 * - unavailable: the database cannot be reached; retry a while, then STORE_UNAVAILABLE;
 * - overflow: a 64-bit column would overflow: AMOUNT_OVERFLOW;
 * - data: this op (not the store) is at fault; split the group to find it;
 * - unknown: a bug or an unexpected state: surfaced as is.
 */
export type StoreErrorKind = 'transient' | 'unavailable' | 'overflow' | 'data' | 'unknown';

const PG_TRANSIENT = new Set(['40001', '40P01', '23505', '55P03']);
const PG_UNAVAILABLE_CLASSES = ['08', '53', '57'];
const NODE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

export function classifyPostgresError(error: unknown): StoreErrorKind {
  const code = errorCode(error);
  if (code === undefined) {
    const message = error instanceof Error ? error.message : '';
    if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)) {
      return 'unavailable';
    }
    return 'unknown';
  }
  if (NODE_NETWORK.has(code)) return 'unavailable';
  if (PG_TRANSIENT.has(code)) return 'transient';
  if (code === '22003') return 'overflow';
  if (PG_UNAVAILABLE_CLASSES.some((prefix) => code.startsWith(prefix))) return 'unavailable';
  if (code.startsWith('22') || code.startsWith('23')) return 'data';
  return 'unknown';
}

export function classifySqliteError(error: unknown): StoreErrorKind {
  const code = errorCode(error) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'transient';
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return 'transient';
  if (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH') return 'data';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL') {
    return 'unavailable';
  }
  if (/integer overflow/i.test(error instanceof Error ? error.message : '')) return 'overflow';
  return 'unknown';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
