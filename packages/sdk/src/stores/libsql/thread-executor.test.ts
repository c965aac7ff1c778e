import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, GuildmintError } from '../../errors.js';
import type { LedgerOp } from '../../ledger/records.js';
import { classifySqliteError } from '../store-errors.js';
import { ThreadExecutor } from './thread-executor.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-libsql-thread-'));
  dirs.push(dir);
  return dir;
}

const op: LedgerOp = {
  tenant: 't',
  batchId: null,
  transfers: [
    {
      id: 'x',
      from: 'faucet:f',
      to: 'user:a',
      amount: 5n,
      code: 'faucet.f',
      metadata: null,
      reverses: null,
      forced: false,
    },
  ],
};

/** A writer thread that dies on its first call, as one that crashed mid-commit would. */
const DYING = new URL(
  `data:text/javascript,${encodeURIComponent(
    "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(7));",
  )}`,
);

describe('the libSQL writer thread', () => {
  it('hands back a driver error with its SQLite code, so the one error map still sorts it', async () => {
    const dir = tempDir();
    const writer = new ThreadExecutor(join(dir, 'ledger.db'), 'file:ledger.db');
    // Not migrated: the group's first read meets no table.
    const error = await writer.run('commitGroup', [op], new Date(), false).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(GuildmintError);
    expect(error).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringMatching(/no such table/) });
    expect(classifySqliteError(error)).toBe('unknown');
    await writer.run('migrate');
    await expect(writer.run('commitGroup', [op], new Date(), false)).resolves.toMatchObject([{ ok: true }]);
    await writer.close();
  });

  it('answers STORE_UNAVAILABLE to every call when its connection cannot open', async () => {
    const dir = tempDir();
    // A directory is not a database file.
    const writer = new ThreadExecutor(dir, `file:${dir}`);
    await expect(writer.run('migrate')).rejects.toMatchObject({ code: ErrorCode.STORE_UNAVAILABLE });
    await writer.close();
  });

  it('fails every waiting and later call with STORE_UNAVAILABLE when the thread dies; none hangs', async () => {
    const dir = tempDir();
    const writer = new ThreadExecutor(join(dir, 'ledger.db'), 'file:ledger.db', DYING);
    const waiting = [writer.run('migrate'), writer.run('migrate')];
    for (const call of waiting) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GuildmintError);
      expect((error as GuildmintError).code).toBe(ErrorCode.STORE_UNAVAILABLE);
    }
    await expect(writer.run('migrate')).rejects.toMatchObject({ code: ErrorCode.STORE_UNAVAILABLE });
    await writer.close();
  });
});
