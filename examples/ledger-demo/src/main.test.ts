// Runs the demo as a user would (a child process, the built SDK through the workspace link) and
// checks what it prints. TMPDIR points at a folder of this test's own, removed afterwards.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
let tmp = '';
let code = 0;
let stdout = '';
let stderr = '';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'guildmint-demo-test-'));
  await new Promise<void>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts'],
      { cwd: exampleDir, env: { ...process.env, TMPDIR: tmp }, timeout: 60_000 },
      (error, out, err) => {
        code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        stdout = String(out);
        stderr = String(err);
        resolve();
      },
    );
  });
  if (/Cannot find (module|package) '@guildmint\/sdk'|ERR_MODULE_NOT_FOUND.*guildmint/s.test(stderr)) {
    stderr +=
      '\n(the demo runs the built SDK: run `pnpm --filter @guildmint/sdk build` first; `pnpm test` does)';
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('ledger demo', () => {
  it('exits 0 without writing to stderr', () => {
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('announces its ledger file, which it created on disk', () => {
    const match = /ledger file: (.+\.db)$/m.exec(stdout);
    expect(match?.[1]).toBeDefined();
    const file = match![1]!;
    expect(file.startsWith(tmp)).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it('shows a retry that does not pay twice, and the refusals with their codes', () => {
    expect(stdout).toContain('same id, same content -> the original transfer came back');
    expect(stdout).toContain('alice has 380: paid once, no double pay');
    expect(stdout).toContain('same id, different amount -> refused with IDEMPOTENCY_CONFLICT');
    expect(stdout).toMatch(/refused with INSUFFICIENT_FUNDS: account user:carol has 50/);
    expect(stdout).toContain('carol buys for 40 + 20 tax -> INSUFFICIENT_FUNDS');
    expect(stdout).toContain('reversing it a second time -> ALREADY_REVERSED');
  });

  it('shows a batch, a reversal and three pages of history', () => {
    expect(stdout).toMatch(/batch id: batch_\S+/);
    expect(stdout).toMatch(/user:bob -> user:alice\s+120\s+reversal\s+id refund:1310000000000000001/);
    expect(stdout).toContain('page 1: reversal 120, game.coinflip.payout 200, game.coinflip.bet 100');
    expect(stdout).toContain('page 3: faucet.daily 500');
    expect(stdout).not.toContain('page 4');
  });

  it('ends with balances that sum to zero and verify() ok', () => {
    const balances = Object.fromEntries(
      [...stdout.matchAll(/^ {2}(user:\w+|faucet:\w+|house:\w+|sum)\s+(-?\d+)/gm)].map((m) => [m[1], m[2]]),
    );
    expect(balances).toEqual({
      'user:alice': '500',
      'user:bob': '400',
      'user:carol': '50',
      'faucet:daily': '-850',
      'house:coinflip': '-100',
      sum: '0',
    });
    expect(stdout).toContain('verify(): ok');
  });
});
