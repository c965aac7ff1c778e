// The published package, as a user gets it: `pnpm pack`, then `npm install <tarball>` in an empty
// folder outside the workspace, then ESM, CJS, subpaths, a real transfer and the type declarations.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(sdkDir, '..', '..');
const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
const BUILT = ['index', 'libsql', 'postgres', 'simulation'].flatMap((entry) =>
  ['js', 'cjs', 'd.ts', 'd.cts'].map((ext) => `dist/${entry}.${ext}`),
);

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

// pnpm exports npm_config_* settings of its own (verify-deps-before-run, …); npm in the clean
// folder should see only the user's registry and cache settings, as a real user's npm would.
const KEEP = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig']);
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key) || KEEP.has(key)),
);

function run(cmd: string, args: string[], cwd: string, timeout = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, env: cleanEnv, timeout, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

async function mustRun(cmd: string, args: string[], cwd: string, timeout?: number): Promise<string> {
  const result = await run(cmd, args, cwd, timeout);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** Runs a script in the install folder and parses the one JSON line it prints last. */
async function runScript(file: string, source: string): Promise<Record<string, unknown>> {
  writeFileSync(join(dir, file), source);
  const out = await mustRun(process.execPath, [file], dir);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

let dir = '';
let entries: string[] = [];
let packedManifest = '';

beforeAll(async () => {
  if (!BUILT.every((file) => existsSync(join(sdkDir, file)))) {
    await mustRun('pnpm', ['--filter', '@guildmint/sdk', 'run', 'build'], repoRoot, 120_000);
  }
  dir = mkdtempSync(join(tmpdir(), 'guildmint-pack-'));
  const packed = JSON.parse(await mustRun('pnpm', ['pack', '--pack-destination', dir, '--json'], sdkDir)) as {
    filename: string;
  };
  const tarball = packed.filename;
  entries = (await mustRun('tar', ['-tzf', tarball], dir)).split('\n').filter(Boolean);
  packedManifest = await mustRun('tar', ['-xzOf', tarball, 'package/package.json'], dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'clean-consumer', private: true }, null, 2),
  );
  // @types/node: any TypeScript project on Node has it; nothing else is added for the type checks.
  const install = ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, '@types/node@^20.19.0'];
  await mustRun('npm', install, dir, 120_000);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed @guildmint/sdk', () => {
  it('holds dist/ and README.md, and no sources or tests', () => {
    for (const file of [...BUILT, 'README.md', 'package.json']) expect(entries).toContain(`package/${file}`);
    const unwanted = entries.filter((entry) => /^package\/(src|test|bench|scripts|drizzle)\//.test(entry));
    expect(unwanted).toEqual([]);
    expect(entries.some((entry) => entry.endsWith('.test.ts') || entry.endsWith('tsconfig.json'))).toBe(
      false,
    );
    // pnpm pack must have replaced any workspace: protocol with real versions.
    expect(packedManifest).not.toContain('workspace:');
  });

  it('imports as ESM, with its subpaths', async () => {
    const out = await runScript(
      'exports.mjs',
      `import * as sdk from '@guildmint/sdk';
import { LibsqlStore } from '@guildmint/sdk/libsql';
import { PostgresStore } from '@guildmint/sdk/postgres';
import { simulateEconomy } from '@guildmint/sdk/simulation';
console.log(JSON.stringify({
  createEconomy: typeof sdk.createEconomy,
  GuildmintError: typeof sdk.GuildmintError,
  ErrorCode: sdk.ErrorCode,
  LibsqlStore: typeof LibsqlStore,
  PostgresStore: typeof PostgresStore,
  simulateEconomy: typeof simulateEconomy,
  resolved: [import.meta.resolve('@guildmint/sdk'), import.meta.resolve('@guildmint/sdk/libsql'), import.meta.resolve('@guildmint/sdk/postgres')],
}));
`,
    );
    expectExports(out);
    expect(out.resolved).toEqual([
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/index\.js$/),
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/libsql\.js$/),
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/postgres\.js$/),
    ]);
  });

  it('requires as CJS, with its subpaths', async () => {
    const out = await runScript(
      'exports.cjs',
      `const sdk = require('@guildmint/sdk');
const { LibsqlStore } = require('@guildmint/sdk/libsql');
const { PostgresStore } = require('@guildmint/sdk/postgres');
const { simulateEconomy } = require('@guildmint/sdk/simulation');
console.log(JSON.stringify({
  createEconomy: typeof sdk.createEconomy,
  GuildmintError: typeof sdk.GuildmintError,
  ErrorCode: sdk.ErrorCode,
  LibsqlStore: typeof LibsqlStore,
  PostgresStore: typeof PostgresStore,
  simulateEconomy: typeof simulateEconomy,
  resolved: [require.resolve('@guildmint/sdk'), require.resolve('@guildmint/sdk/libsql'), require.resolve('@guildmint/sdk/postgres')],
}));
`,
    );
    expectExports(out);
    expect(out.resolved).toEqual([
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/index\.cjs$/),
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/libsql\.cjs$/),
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/postgres\.cjs$/),
    ]);
  });

  it.each([
    ['ESM', 'ledger.mjs', `import { createEconomy, GuildmintError } from '@guildmint/sdk';`],
    ['CJS', 'ledger.cjs', `const { createEconomy, GuildmintError } = require('@guildmint/sdk');`],
  ])('moves money on :memory: (%s)', async (_format, file, load) => {
    const out = await runScript(
      file,
      `${load}
(async () => {
  const economy = createEconomy({ storage: ':memory:' });
  const ledger = economy.tenant('guild-1').ledger;
  await ledger.transfer({ id: 'daily-1', from: 'faucet:daily', to: 'user:alice', amount: 100n, code: 'faucet.daily' });
  await ledger.transfer({ from: 'user:alice', to: 'user:bob', amount: 30n, code: 'transfer.p2p' });
  let overdraft = 'none';
  try {
    await ledger.transfer({ from: 'user:bob', to: 'user:alice', amount: 31n, code: 'transfer.p2p' });
  } catch (error) {
    overdraft = (error instanceof GuildmintError ? 'GuildmintError:' : 'other:') + error.code;
  }
  const result = {
    alice: String(await ledger.balance('user:alice')),
    bob: String(await ledger.balance('user:bob')),
    faucet: String(await ledger.balance('faucet:daily')),
    overdraft,
    verify: await ledger.verify(),
  };
  await economy.close();
  console.log(JSON.stringify(result));
})().catch((error) => { console.error(error); process.exit(1); });
`,
    );
    expect(out).toEqual({
      alice: '70',
      bob: '30',
      faucet: '-100',
      overdraft: 'GuildmintError:INSUFFICIENT_FUNDS',
      verify: { ok: true, problems: [] },
    });
  });

  it('has types for the root entry and @guildmint/sdk/libsql (moduleResolution node16 and nodenext)', async () => {
    writeFileSync(
      join(dir, 'root.mts'),
      `import { createEconomy, ErrorCode, GuildmintError, isGuildmintError, type Economy, type Transfer, type TransferPage } from '@guildmint/sdk';
import { LibsqlStore } from '@guildmint/sdk/libsql';
const economy: Economy = createEconomy({ storage: new LibsqlStore({ url: ':memory:' }) });
const sent: Transfer = await economy.tenant('g').ledger.transfer({ from: 'faucet:a', to: 'user:1', amount: 1n, code: 'x' });
const page: TransferPage = await economy.tenant('g').ledger.transfers({ limit: 10 });
const balance: bigint = await economy.tenant('g').ledger.balance('user:1');
const error = new GuildmintError(ErrorCode.NOT_FOUND, 'missing');
const known: boolean = isGuildmintError(error, ErrorCode.NOT_FOUND);
// @ts-expect-error amounts are bigint, never number
await economy.tenant('g').ledger.transfer({ from: 'faucet:a', to: 'user:1', amount: 1, code: 'x' });
export { sent, page, balance, known };
`,
    );
    writeFileSync(
      join(dir, 'root.cts'),
      `import sdk = require('@guildmint/sdk');
import libsql = require('@guildmint/sdk/libsql');
const economy: sdk.Economy = sdk.createEconomy({ storage: new libsql.LibsqlStore({ url: ':memory:' }) });
const code: sdk.ErrorCode = sdk.ErrorCode.INSUFFICIENT_FUNDS;
export = { economy, code };
`,
    );
    await expectTypecheck(['root.mts', 'root.cts']);
  }, 150_000);

  it('has types for @guildmint/sdk/postgres without the user installing @types/pg (node16 and nodenext)', async () => {
    writeFileSync(
      join(dir, 'postgres.mts'),
      `import { PostgresStore, type PostgresStoreOptions } from '@guildmint/sdk/postgres';
const options: PostgresStoreOptions = { url: 'postgres://postgres@127.0.0.1:5432/test', poolSize: 4 };
export const store = new PostgresStore(options);
`,
    );
    writeFileSync(
      join(dir, 'postgres.cts'),
      `import postgres = require('@guildmint/sdk/postgres');
export = new postgres.PostgresStore({ url: 'postgres://postgres@127.0.0.1:5432/test' });
`,
    );
    await expectTypecheck(['postgres.mts', 'postgres.cts']);
  }, 150_000);
});

function expectExports(out: Record<string, unknown>): void {
  expect(out.createEconomy).toBe('function');
  expect(out.GuildmintError).toBe('function');
  expect(out.ErrorCode).toMatchObject({
    INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
    IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  });
  expect(out.LibsqlStore).toBe('function');
  expect(out.PostgresStore).toBe('function');
  expect(out.simulateEconomy).toBe('function');
}

/**
 * Strict type checks of a consumer project in both module modes: nodenext also checks every declaration
 * file (skipLibCheck off, so a broken or unresolvable import in our .d.ts shows); node16 checks the
 * resolution only, since checking the libraries' declarations twice (zod's are large) costs ~10 s of CPU.
 */
async function expectTypecheck(files: string[]): Promise<void> {
  const modes = [
    { resolution: 'nodenext', skipLibCheck: false },
    { resolution: 'node16', skipLibCheck: true },
  ];
  const reports = await Promise.all(
    modes.map(async ({ resolution, skipLibCheck }) => {
      const project = `tsconfig.${resolution}.${files[0]!.split('.')[0]}.json`;
      const compilerOptions = {
        strict: true,
        noEmit: true,
        module: resolution,
        moduleResolution: resolution,
        target: 'ES2022',
        lib: ['ES2023'],
        types: ['node'],
        skipLibCheck,
      };
      writeFileSync(join(dir, project), JSON.stringify({ compilerOptions, files }));
      const result = await run(tsc, ['-p', project], dir, 120_000);
      return { resolution, code: result.code, output: (result.stdout + result.stderr).trim() };
    }),
  );
  expect(reports).toEqual([
    { resolution: 'nodenext', code: 0, output: '' },
    { resolution: 'node16', code: 0, output: '' },
  ]);
}
