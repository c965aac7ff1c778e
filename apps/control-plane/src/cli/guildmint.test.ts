import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiKeyStore } from '../server/api-keys';
import { authenticate } from '../server/api-keys/keys';
import { openPlatformStore } from '../server/db';
import { CliError } from './keys';
import { createProgram } from './program';

/**
 * The operator CLI as an operator runs it (its own process, the environment naming the data folder),
 * on a platform database where one tenant was onboarded.
 */

const run = promisify(execFile);
const CLI = join(import.meta.dirname, 'guildmint.ts');
const TSX = join(import.meta.dirname, '../../node_modules/.bin/tsx');

describe('pnpm guildmint keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-cli-'));
  const url = `file:${join(dir, 'platform.db')}`;
  const tenantId = '700000000000000001';

  const guildmint = (...args: string[]) =>
    run(TSX, [CLI, ...args], { env: { ...process.env, GUILDMINT_DATA_DIR: dir, DATABASE_URL: '' } }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  beforeAll(async () => {
    const platform = openPlatformStore(url);
    await platform.migrate();
    await platform.upsertUser({ id: 'owner', name: 'Owner', image: null });
    await platform.createTenant(
      { id: tenantId, guildId: tenantId, name: 'CLI guild', ownerUserId: 'owner', preset: 'classic' },
      { userId: 'owner', role: 'owner' },
      new Date(),
    );
    await platform.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key printed alone on the last line, which works until `keys revoke <prefix>`', async () => {
    const created = await guildmint(
      'keys',
      'create',
      '--tenant',
      tenantId,
      '--scopes',
      'read,admin',
      '--test',
    );
    expect(created.code).toBe(0);
    const lines = created.stdout.trimEnd().split('\n');
    const secret = lines.at(-1) ?? '';
    expect(secret).toMatch(/^gm_test_[0-9A-Za-z]{36}$/);
    const store = openApiKeyStore(url);
    try {
      const admitted = await authenticate(store, secret, new Date());
      expect(admitted).toMatchObject({
        ok: true,
        key: { tenantId, scopes: ['read', 'admin'], mode: 'test', createdBy: 'cli' },
      });
      const prefix = admitted.ok ? admitted.key.prefix : '';
      expect(created.stdout).toContain(prefix);

      const revoked = await guildmint('keys', 'revoke', prefix);
      expect([revoked.code, revoked.stdout]).toEqual([
        0,
        `Revoked ${prefix} ("created by the operator CLI") of tenant ${tenantId}.\n`,
      ]);
      expect(await authenticate(store, secret, new Date())).toEqual({ ok: false, refusal: 'revoked' });
      const again = await guildmint('keys', 'revoke', prefix);
      expect([again.code, again.stderr]).toEqual([1, `guildmint: ${prefix} was already revoked\n`]);
    } finally {
      await store.close();
    }
  });

  /** The same program in this process (what the process runs, minus its argv and exit code). */
  async function inProcess(...args: string[]) {
    const out: string[] = [];
    let help = '';
    const program = createProgram({ databaseUrl: () => url, out: (line) => out.push(line) });
    const output = { writeOut: (text: string) => (help += text), writeErr: (text: string) => (help += text) };
    for (const command of [program, ...program.commands.flatMap((c) => [c, ...c.commands])])
      command.exitOverride().configureOutput(output);
    const error = await program.parseAsync(['node', 'guildmint', ...args]).then(
      () => null,
      (e: unknown) => e,
    );
    return {
      out,
      help,
      error: error instanceof CliError ? error.message : error === null ? null : 'commander',
    };
  }

  it('refuses an unknown tenant, an unknown scope and an unknown prefix, creating nothing', async () => {
    const store = openApiKeyStore(url);
    const before = await store.list(tenantId);
    expect((await inProcess('keys', 'create', '--tenant', '999')).error).toBe(
      'no tenant 999: its owner onboards it in the control plane first',
    );
    expect((await inProcess('keys', 'create', '--tenant', tenantId, '--scopes', 'read,root')).error).toBe(
      'unknown scope root: use read, write, admin, webhooks',
    );
    expect((await inProcess('keys', 'create', '--tenant', tenantId, '--expires-in-days', '0.5')).error).toBe(
      '--expires-in-days takes a whole number of days from 1 to 3650',
    );
    expect((await inProcess('keys', 'revoke', 'gm_live_nothing0')).error).toBe(
      'no API key with the prefix gm_live_nothing0',
    );
    try {
      expect(await store.list(tenantId)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('has --help on every command', async () => {
    for (const args of [
      ['--help'],
      ['keys', '--help'],
      ['keys', 'create', '--help'],
      ['keys', 'revoke', '--help'],
    ]) {
      const { help } = await inProcess(...args);
      expect([args.join(' '), help]).toEqual([args.join(' '), expect.stringContaining('Usage: guildmint')]);
    }
  });
});
