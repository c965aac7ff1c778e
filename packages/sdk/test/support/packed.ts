// The published package, as a user gets it: `pnpm pack`, then `npm install <tarball>` in an empty
// folder outside the workspace. Shared by the package tests (unit) and the PostgreSQL-only run.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export const sdkDir = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = join(sdkDir, '..', '..');
export const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
export const BUILT = ['index', 'libsql', 'postgres', 'simulation'].flatMap((entry) =>
  ['js', 'cjs', 'd.ts', 'd.cts'].map((ext) => `dist/${entry}.${ext}`),
);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

// pnpm exports npm_config_* settings of its own (verify-deps-before-run, …); npm in the clean
// folder should see only the user's registry and cache settings, as a real user's npm would. pnpm's
// NODE_PATH (the workspace's hoisted packages) would let require() find packages the folder lacks.
const KEEP = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig']);
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => key !== 'NODE_PATH' && (!/^(npm|pnpm)_/i.test(key) || KEEP.has(key)),
  ),
);

export function run(cmd: string, args: string[], cwd: string, timeout = 60_000): Promise<RunResult> {
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

export async function mustRun(cmd: string, args: string[], cwd: string, timeout?: number): Promise<string> {
  const result = await run(cmd, args, cwd, timeout);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

export interface PackedSdk {
  /** The folder the tarball is installed in (its own package.json and node_modules). */
  readonly dir: string;
  /** The tarball's file list, and its package.json as packed. */
  readonly entries: string[];
  readonly manifest: string;
  /**
   * Writes a script into `folder` (default: the install folder), runs it with Node and parses the one
   * JSON line it prints last.
   */
  runScript(file: string, source: string, folder?: string): Promise<Record<string, unknown>>;
  /**
   * A copy of the install with these packages deleted from node_modules, as on a machine where they
   * are missing (a native binary that is not built for it): resolving them fails there.
   */
  without(packages: readonly string[]): string;
}

/** Packs and installs the SDK once for the calling test file (beforeAll); removes it afterwards. */
export function usePackedSdk(): PackedSdk {
  const state = { dir: '', entries: [] as string[], manifest: '' };
  const copies: string[] = [];

  beforeAll(async () => {
    if (!BUILT.every((file) => existsSync(join(sdkDir, file)))) {
      await mustRun('pnpm', ['--filter', '@guildmint/sdk', 'run', 'build'], repoRoot, 120_000);
    }
    state.dir = mkdtempSync(join(tmpdir(), 'guildmint-pack-'));
    const packed = JSON.parse(
      await mustRun('pnpm', ['pack', '--pack-destination', state.dir, '--json'], sdkDir),
    ) as { filename: string };
    const tarball = packed.filename;
    state.entries = (await mustRun('tar', ['-tzf', tarball], state.dir)).split('\n').filter(Boolean);
    state.manifest = await mustRun('tar', ['-xzOf', tarball, 'package/package.json'], state.dir);
    writeFileSync(
      join(state.dir, 'package.json'),
      JSON.stringify({ name: 'clean-consumer', private: true }, null, 2),
    );
    // @types/node: any TypeScript project on Node has it; nothing else is added for the type checks.
    const install = [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      tarball,
      '@types/node@^20.19.0',
    ];
    await mustRun('npm', install, state.dir, 120_000);
  }, 180_000);

  afterAll(() => {
    for (const folder of [state.dir, ...copies]) if (folder) rmSync(folder, { recursive: true, force: true });
  });

  return {
    get dir() {
      return state.dir;
    },
    get entries() {
      return state.entries;
    },
    get manifest() {
      return state.manifest;
    },
    async runScript(file, source, folder = state.dir) {
      writeFileSync(join(folder, file), source);
      const out = await mustRun(process.execPath, [file], folder);
      return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
    },
    without(packages) {
      const copy = mkdtempSync(join(tmpdir(), 'guildmint-without-'));
      copies.push(copy);
      cpSync(join(state.dir, 'package.json'), join(copy, 'package.json'));
      cpSync(join(state.dir, 'node_modules'), join(copy, 'node_modules'), { recursive: true });
      for (const name of packages) {
        const path = join(copy, 'node_modules', name);
        if (!existsSync(path)) throw new Error(`${name} is not installed in ${state.dir}: nothing to remove`);
        rmSync(path, { recursive: true, force: true });
      }
      return copy;
    },
  };
}

/**
 * Script source defining `loadedDrivers()`: which of the optional drivers this process has loaded. They are
 * CommonJS packages (pg's ESM face wraps its CommonJS files), so however they were loaded, they sit in
 * require's cache; `process.getBuiltinModule` reaches it from ESM and CJS scripts alike.
 */
export const LOADED_DRIVERS = `const loadedDrivers = () => {
  const cache = process.getBuiltinModule('node:module').createRequire(process.cwd() + '/').cache;
  return ['libsql', 'pg', 'ioredis', 'rate-limiter-flexible'].filter((name) =>
    Object.keys(cache).some((path) => path.includes('/node_modules/' + name + '/')));
};`;
