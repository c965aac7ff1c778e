import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import type { DiscordSimulator } from '@guildmint/discord-simulator';

export const APP_DIR = new URL('../..', import.meta.url).pathname;
const REPO_DIR = join(APP_DIR, '..', '..');
const NEXT_BIN = join(APP_DIR, 'node_modules', 'next', 'dist', 'bin', 'next');
const BUILD_STAMP = join(APP_DIR, '.next', 'guildmint-build-hash');
/**
 * How `pnpm start` runs the production server (server.mjs: Next.js, with API v1 answered before Next's
 * router), from package.json: its Node flags and the script, so tests run it as it is deployed.
 */
function productionServer(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(APP_DIR, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const words = scripts.start.split(/\s+/);
  const script = words.indexOf('server.mjs');
  if (words[0] !== 'node' || script < 0) throw new Error(`unexpected start script: ${scripts.start}`);
  return [...words.slice(1, script), join(APP_DIR, 'server.mjs')];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Everything a production build depends on: the app's sources and config, and the lockfile. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...filesUnder(join(APP_DIR, 'src')).filter((f) => !/\.test\.ts$|\.suite\.ts$/.test(f)),
    ...['next.config.ts', 'postcss.config.mjs', 'package.json', 'tsconfig.json', 'tsconfig.next.json'].map(
      (f) => join(APP_DIR, f),
    ),
    join(REPO_DIR, 'pnpm-lock.yaml'),
  ].sort();
  for (const file of files)
    hash.update(relative(REPO_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Held while one test process builds: test files run in parallel, and two `next build`s in one folder break. */
const BUILD_LOCK = join(APP_DIR, '.next-build-lock');

/**
 * `next build`, unless the last build was made from exactly these sources (a fresh checkout, as in
 * CI, always builds). Test files that start the app at once build it once: the first takes the lock, the
 * others wait for it and then find the build made. Returns how long this call built, in ms (0 when reused).
 */
export async function ensureBuilt(): Promise<number> {
  const hash = sourceHash();
  const built = () => existsSync(BUILD_STAMP) && readFileSync(BUILD_STAMP, 'utf8') === hash;
  if (built()) return 0;
  await takeBuildLock();
  try {
    if (built()) return 0;
    const started = Date.now();
    const result = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
      cwd: APP_DIR,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
    writeFileSync(BUILD_STAMP, hash);
    return Date.now() - started;
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** The build lock: a folder (made atomically) naming its holder; a holder that died leaves it to be taken over. */
async function takeBuildLock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      writeFileSync(join(BUILD_LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync(join(BUILD_LOCK, 'pid'), 'utf8'));
    } catch {
      // Made but not yet named: its holder is writing the pid now.
    }
    if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
      rmSync(BUILD_LOCK, { recursive: true, force: true });
      continue;
    }
    // Another test process is building: the build takes a minute or more, so look again shortly.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  url: string;
  /** The server's process. */
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The production server (`pnpm start`: server.mjs, Next.js with API v1 answered before its router) on
 * localhost (Auth.js needs one host name: see ARCHITECTURE.md), ready when
 * `/api/auth/providers` answers OK (or as `ready` says, for an app expected to refuse service).
 * NODE_ENV is production unless `env` says otherwise (a test of what a production build does with
 * another NODE_ENV at run time).
 */
export async function startApp(
  env: Record<string, string>,
  o: {
    port: number;
    timeoutMs?: number;
    ready?: (response: Response) => boolean;
    /** Next's own `next start` instead (API v1 then goes through Next's router to src/pages/api/v1). */
    nextStart?: boolean;
  },
): Promise<RunningApp> {
  const url = `http://localhost:${o.port}`;
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(o.nextStart ? [NEXT_BIN, 'start'] : productionServer()),
      '--port',
      String(o.port),
      '--hostname',
      'localhost',
    ],
    {
      cwd: APP_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        // A production build refuses to start without it (it seals webhook endpoint secrets).
        GUILDMINT_SECRETS_KEY: createHash('sha256').update('guildmint test secrets key').digest('base64'),
        ...env,
        NEXT_TELEMETRY_DISABLED: '1',
        AUTH_URL: url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server.mjs exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${url}/api/auth/providers`);
      if ((o.ready ?? ((r) => r.ok))(response)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server.mjs did not answer within the timeout:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid as number,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `startApp` on the data folder `dir`, with `sim` as its Discord (its OAuth2 app registered for the app's
 * port: `o.port`, or a free one) and a fresh session secret; `o.env` on top.
 */
export async function startAppWithSimulator(
  sim: DiscordSimulator,
  dir: string,
  o: { env?: Record<string, string>; port?: number; nextStart?: boolean } = {},
): Promise<RunningApp> {
  const port = o.port ?? (await freePort());
  sim.registerOAuthApp({ redirectUris: [`http://localhost:${port}/api/auth/callback/discord`] });
  const env = {
    ...sim.oauthEnv(),
    AUTH_SECRET: randomBytes(32).toString('hex'),
    GUILDMINT_DATA_DIR: dir,
    ...o.env,
  };
  return startApp(env, { port, ...(o.nextStart && { nextStart: true }) });
}
