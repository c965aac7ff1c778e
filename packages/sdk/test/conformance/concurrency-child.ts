import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const SDK_DIR = fileURLToPath(new URL('../..', import.meta.url));
/** Bundles live in the package (so their bare imports resolve from its node_modules), one set per process. */
const BUILD_ROOT = join(SDK_DIR, '.test-build');
const BUNDLE_DIR = join(BUILD_ROOT, String(process.pid));
const bundles = new Map<string, string>();

/**
 * `file` and the SDK sources it imports as one ESM file, built once per test process: a child then starts with
 * plain node in about a quarter of the time tsx takes to compile the sources at every start (0.4 s against
 * 1.5 s here), which matters to suites that kill and restart dozens of children. Packages stay external. Not
 * for children that start the libSQL writer thread: its entry is found beside the module that starts it.
 */
function bundled(file: string): string {
  let out = bundles.get(file);
  if (!out) {
    if (bundles.size === 0) removeOrphanedBundles();
    mkdirSync(BUNDLE_DIR, { recursive: true });
    out = join(BUNDLE_DIR, `${basename(file, '.ts')}.mjs`);
    const partial = `${out}.partial`;
    buildSync({
      entryPoints: [join(SDK_DIR, file)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: partial,
      logLevel: 'error',
    });
    renameSync(partial, out);
    if (bundles.size === 0) process.once('exit', () => rmSync(BUNDLE_DIR, { recursive: true, force: true }));
    bundles.set(file, out);
  }
  return out;
}

/** One JSON line a child printed. `t` says what it is. */
export type ChildMessage = { t: string } & Record<string, unknown>;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Bundle folders of test processes that are gone (a worker ended without its exit handler running). */
function removeOrphanedBundles(): void {
  for (const name of existsSync(BUILD_ROOT) ? readdirSync(BUILD_ROOT) : []) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(BUILD_ROOT, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A TypeScript file (path relative to packages/sdk) run in its own Node process, through tsx or (with
 * `bundle`) as a bundle built once (see `bundled`), given one JSON argument, and answering in JSON lines on stdout.
 */
export class TsChild {
  readonly messages: ChildMessage[] = [];
  readonly exited: Promise<ChildExit>;
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly listeners = new Set<(message: ChildMessage) => void>();
  private stderrText = '';
  private exit: ChildExit | undefined;

  constructor(file: string, config: unknown, o: { bundle?: boolean } = {}) {
    const entry = o.bundle ? [bundled(file)] : ['--import', 'tsx', file];
    this.proc = spawn(process.execPath, [...entry, JSON.stringify(config)], {
      cwd: SDK_DIR,
      stdio: 'pipe',
    });
    this.proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrText += chunk;
    });
    const lines = createInterface({ input: this.proc.stdout });
    lines.on('line', (line) => {
      let message: ChildMessage;
      try {
        message = JSON.parse(line) as ChildMessage;
      } catch {
        // A line cut short by SIGKILL carries nothing the child had finished saying.
        return;
      }
      this.messages.push(message);
      for (const listener of this.listeners) listener(message);
    });
    const linesClosed = new Promise<void>((resolve) => lines.on('close', resolve));
    const processClosed = new Promise<ChildExit>((resolve) =>
      this.proc.on('close', (code, signal) => resolve({ code, signal })),
    );
    this.exited = Promise.all([processClosed, linesClosed]).then(([exit]) => {
      this.exit = exit;
      for (const listener of this.listeners) listener({ t: '__exit' });
      return exit;
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Called with every message from now on (the earlier ones are in `messages`). */
  onMessage(listener: (message: ChildMessage) => void): void {
    this.listeners.add(listener);
  }

  /**
   * The first message (already received or still to come) matching `predicate`. Rejects when the
   * child exits without one, or after `timeoutMs` (a hung child, reported with its stderr).
   */
  waitFor(predicate: (message: ChildMessage) => boolean, timeoutMs = 30_000): Promise<ChildMessage> {
    const seen = this.messages.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        reject(new Error(`child ${this.proc.pid} ${why}; stderr:\n${this.stderrText.slice(-4000)}`));
      };
      const listener = (message: ChildMessage) => {
        if (message.t === '__exit')
          return fail(`exited (${JSON.stringify(this.exit)}) before the awaited message`);
        if (!predicate(message)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(message);
      };
      const timer = setTimeout(() => fail(`sent no awaited message within ${timeoutMs} ms`), timeoutMs);
      if (this.exit) return fail(`exited (${JSON.stringify(this.exit)}) before the awaited message`);
      this.listeners.add(listener);
    });
  }

  send(line: string): void {
    this.proc.stdin.write(`${line}\n`);
  }

  /** SIGKILL: no handler, no flush, no cleanup runs in the child. */
  kill(): void {
    if (this.exit === undefined) this.proc.kill('SIGKILL');
  }
}

/**
 * For the child side: print one JSON line with blocking writes, so the whole line is in the pipe
 * (and survives a SIGKILL that follows) as soon as this returns. stdout may be non-blocking: a
 * write can take part of the line or none of it (EAGAIN) while the parent catches up.
 */
export function say(message: { t: string } & Record<string, unknown>): void {
  const bytes = Buffer.from(`${JSON.stringify(message)}\n`);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}
