import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, openConnection, WAL_CHECKPOINT_PAGES } from './connection.js';

/** A pragma's value, as text. */
function pragma(db: Db, name: string): string {
  return String(Object.values(db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown>)[0]);
}

describe('a libSQL connection', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('on a file: WAL, fsync at every commit, checkpoints every WAL_CHECKPOINT_PAGES pages, a bounded WAL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-connection-'));
    dirs.push(dir);
    const db = openConnection(join(dir, 'ledger.db'), 'file:ledger.db');
    expect(pragma(db, 'journal_mode')).toBe('wal');
    expect(pragma(db, 'synchronous')).toBe('2'); // FULL
    expect(pragma(db, 'wal_autocheckpoint')).toBe(String(WAL_CHECKPOINT_PAGES));
    expect(pragma(db, 'journal_size_limit')).toBe(String(64 * 1024 * 1024));
    db.close();
  });

  it('in memory: no WAL to tune, still synchronous=FULL', () => {
    const db = openConnection(':memory:', ':memory:');
    expect(pragma(db, 'journal_mode')).toBe('memory');
    expect(pragma(db, 'synchronous')).toBe('2');
    db.close();
  });
});
