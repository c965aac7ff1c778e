#!/usr/bin/env node
// Root `pnpm dev`: the Discord simulator, the bot runtime and the control plane together, on one economy store.
//
//   1. picks the control plane's port (3000, or the next free one) and so its URL, http://localhost:PORT;
//   2. runs the runtime's dev entry (packages/dev/src/dev.ts --control-plane URL): simulator, demo
//      guilds, runtime, member prompt. It answers over IPC with the simulator's OAuth2 environment;
//   3. runs `next dev` in apps/control-plane with that environment, the same economy store, AUTH_URL = URL,
//      this checkout's AUTH_SECRET (generated once into .guildmint/auth-secret, which git ignores) and
//      GUILDMINT_DEV_LOGIN=1 (its output goes to .guildmint/control-plane.log);
//   4. once the control plane answers, prints the URL and how to log in, and lets the prompt start.
// With DISCORD_TOKEN set, only the runtime runs, against real Discord.
// Beside them, the Stripe simulator (packages/stripe-simulator/src/dev.ts): plan prices seeded, webhooks
// (platform and Connect) to URL/api/webhooks/stripe; it answers over IPC with the STRIPE_* environment that
// `next dev` gets too. With STRIPE_SECRET_KEY already set, it is not started and STRIPE_* pass through as given.
// Ctrl-C (closing the prompt), SIGINT, SIGTERM or either child exiting stops everything.
//
// Environment: DATABASE_URL (the economy store; default file:.guildmint/dev.db), PORT (first port to try),
// GUILDMINT_DEV_DIR (default .guildmint), GUILDMINT_DEV_DRY_RUN=1 (tests: print the control plane's plan as
// one `GUILDMINT_DEV_PLAN {json}` line instead of starting `next dev`), STRIPE_SECRET_KEY (+ STRIPE_API_URL,
// STRIPE_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: a Stripe of your own instead of the simulator),
// STRIPE_SIMULATOR_PORT (the simulator's port; default any free one).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const runtimeDir = join(root, 'packages', 'dev');
const appDir = join(root, 'apps', 'control-plane');
const dir = resolve(root, process.env.GUILDMINT_DEV_DIR ?? '.guildmint');
const economy = process.env.DATABASE_URL ?? `file:${join(dir, 'dev.db')}`;
const dryRun = process.env.GUILDMINT_DEV_DRY_RUN === '1';
const READY_TIMEOUT_MS = 120_000;

/** True when nothing listens on localhost:port (next dev binds there). */
function isFree(port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, 'localhost', () => server.close(() => done(true)));
  });
}

async function pickPort(from) {
  for (let port = from; port < from + 100; port++) if (await isFree(port)) return port;
  throw new Error(`no free port in ${from}-${from + 99}`);
}

/**
 * This checkout's session secret: made once (32 random bytes) and kept in `dir`, so sessions survive a
 * restart and no two checkouts share a secret. The app has no default one: a public default would let
 * anyone forge a session cookie for any user.
 */
function devAuthSecret(dir) {
  const file = join(dir, 'auth-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (error?.code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/**
 * What `next dev` gets: the simulator's OAuth2/REST URLs, the shared economy store, the public URL, the
 * session secret (AUTH_SECRET from the environment, else this checkout's) and the development login.
 */
function controlPlaneEnv(base, simEnv, { url, economy, dir }) {
  const env = {
    ...base,
    ...simEnv,
    AUTH_URL: url,
    AUTH_SECRET: base.AUTH_SECRET || devAuthSecret(dir),
    GUILDMINT_DEV_LOGIN: '1',
    ECONOMY_STORAGE: economy,
    GUILDMINT_DATA_DIR: dir,
  };
  // The control plane's DATABASE_URL is PostgreSQL only; with a libSQL economy its own tables stay in `dir`.
  if (!/^postgres(ql)?:\/\//.test(economy)) delete env.DATABASE_URL;
  env.NEXT_TELEMETRY_DISABLED = '1';
  delete env.NODE_ENV; // next dev sets development
  return env;
}

/**
 * The Stripe simulator, unless STRIPE_SECRET_KEY points the control plane at a Stripe already: resolves
 * with the control plane's STRIPE_* environment ({} when not started).
 */
function startStripeSimulator(url) {
  if (process.env.STRIPE_SECRET_KEY) return Promise.resolve({ env: {}, pid: null });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/dev.ts', '--webhook-url', `${url}/api/webhooks/stripe`],
    { cwd: join(root, 'packages', 'stripe-simulator'), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  track(child, 'stripe simulator');
  return new Promise((done) =>
    child.on('message', (m) => m?.type === 'stripe' && done({ env: m.env, pid: child.pid })),
  );
}

const children = new Set();
let stopping = false;

/** Stops every child (SIGTERM, SIGKILL after 5 s), then exits. */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all([...children].map((c) => c.halt()));
  process.exit(code);
}

/** Tracks a child: its exit stops everything; `group` kills its process group (next dev has workers). */
function track(child, name, { group = false } = {}) {
  const exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
  const kill = (signal) => {
    try {
      if (group) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  const entry = {
    async halt() {
      if (child.exitCode === null && child.signalCode === null) {
        kill('SIGTERM');
        const timer = setTimeout(() => kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (group) kill('SIGKILL'); // workers the leader left behind, if any
    },
  };
  children.add(entry);
  void exited.then((code) => {
    children.delete(entry);
    if (stopping) return;
    if (name !== 'runtime') console.error(`\n${name} exited (${code}); stopping.`);
    void stop(name === 'runtime' ? code : 1);
  });
}

async function main() {
  if (process.env.DISCORD_TOKEN) {
    // Real Discord: the runtime's dev entry alone (the control plane needs a real OAuth2 app then; see its README).
    track(
      spawn(process.execPath, ['--import', 'tsx', 'src/dev.ts'], { cwd: runtimeDir, stdio: 'inherit' }),
      'runtime',
    );
    return;
  }
  mkdirSync(dir, { recursive: true });
  // The runtime and the control plane share it: the bot's `/buy pack:` asks the control plane for Checkout links.
  process.env.GUILDMINT_INTERNAL_SECRET ??= randomBytes(32).toString('base64url');
  const port = await pickPort(Number(process.env.PORT ?? 3000));
  const url = `http://localhost:${port}`;
  const stripe = startStripeSimulator(url);

  // 2. The runtime's dev entry, with the prompt on this terminal.
  const runtime = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/dev.ts', '--control-plane', url, '--dir', dir],
    {
      cwd: runtimeDir,
      env: { ...process.env, DATABASE_URL: economy },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    },
  );
  track(runtime, 'runtime');
  const { env: simEnv, login } = await new Promise((done) =>
    runtime.on('message', (m) => m?.type === 'simulator' && done(m)),
  );

  // 3. The control plane.
  const { env: stripeEnv, pid: stripePid } = await stripe;
  const env = controlPlaneEnv(process.env, { ...simEnv, ...stripeEnv }, { url, economy, dir });
  const nextBin = join(appDir, 'node_modules', 'next', 'dist', 'bin', 'next');
  const args = [nextBin, 'dev', '--port', String(port), '--hostname', 'localhost'];
  if (dryRun) {
    const keys = [
      ...Object.keys(simEnv),
      ...Object.keys(stripeEnv),
      'AUTH_URL',
      'GUILDMINT_DEV_LOGIN',
      'ECONOMY_STORAGE',
      'GUILDMINT_DATA_DIR',
      'DATABASE_URL',
    ];
    const shown = Object.fromEntries(keys.filter((k) => k in env).map((k) => [k, env[k]]));
    const plan = {
      url,
      cwd: appDir,
      args,
      env: shown,
      // Not the secret itself: its digest, which a test compares with the file's.
      authSecretSha256: createHash('sha256').update(env.AUTH_SECRET).digest('hex'),
      runtimePid: runtime.pid,
      stripeSimulatorPid: stripePid,
      runtimeEnv: { DATABASE_URL: economy },
    };
    console.log(`GUILDMINT_DEV_PLAN ${JSON.stringify(plan)}`);
  } else {
    const logFile = join(dir, 'control-plane.log');
    const log = openSync(logFile, 'w');
    console.log(`Starting the control plane (next dev, log: ${logFile})…`);
    const next = spawn(process.execPath, args, {
      cwd: appDir,
      env,
      stdio: ['ignore', log, log],
      detached: true,
    });
    track(next, 'control plane (next dev)', { group: true });
    await waitUntilAnswers(url, () => stopping, logFile);
  }

  // 4. What to open, who to be.
  console.log(`
Control plane: ${url}   (open it on "localhost": the login cookie is per host name)
  Log in: "Log in with Discord" → the simulator's page → "Log in as ${login.user}"
  (or the development login on the same page: any name, the DEV_LOGIN_GUILDS guilds).
  ${login.user} owns "${login.withBot}" (bot in it, classic preset: "Set up economy") and
  "${login.withoutBot}" (no bot yet: "Add bot" → the simulator's invite page adds it).
  Both use the economy store the runtime uses: ${economy}
${
  stripeEnv.STRIPE_API_URL
    ? `Payments: the Stripe simulator; its dashboard ${stripeEnv.STRIPE_API_URL} refunds, disputes, renews, redelivers.
  Plans guildmint_pro_monthly and guildmint_scale_monthly; pay with 4242 4242 4242 4242 (4000 0000 0000 0002 is declined).
`
    : ''
}The member prompt below works as before (in "${login.withBot}"); Ctrl-C or "exit" stops everything.
`);
  if (!stopping) runtime.send({ type: 'prompt' });
}

/** Polls the login page until it answers (next dev compiles it on this first request). */
async function waitUntilAnswers(url, cancelled, logFile) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!cancelled()) {
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(60_000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(
        `the control plane did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s:\n${tail}`,
      );
    }
    await new Promise((done) => setTimeout(done, 500));
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(0));
main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  void stop(1);
});
