import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ErrorCode, GuildmintError } from '../../errors.js';
import { decodeError, decodeOutcomes, type WriterReply, type WriterRequest } from './thread-codec.js';
import type { WriteExecutor } from './write-executor.js';
import type { WriterCalls } from './writer.js';

interface Waiting {
  call: string;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * The writes on a thread of their own (./writer-thread.ts), which owns the write connection: SQLite's
 * work and its fsyncs no longer stop this thread's event loop, so the next group forms (and readers are
 * served) while one commits. Calls run in the order made. If the thread dies, every call waiting on it
 * and every later one fails with STORE_UNAVAILABLE; none hangs.
 */
export class ThreadExecutor implements WriteExecutor {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private stopped: GuildmintError | undefined;
  private readonly exited: Promise<void>;

  constructor(path: string, url: string, entry: URL = writerThreadEntry()) {
    this.worker = startWorker(entry, { path, url });
    this.worker.on('message', (reply: WriterReply) => this.settle(reply));
    this.worker.on('error', (error) => this.stop(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.stop(new Error(`the writer thread exited with code ${code}`));
        resolve();
      }),
    );
    // Idle, the thread does not keep the process alive (an inline store would not either).
    this.worker.unref();
  }

  run<K extends keyof WriterCalls>(
    call: K,
    ...args: Parameters<WriterCalls[K]>
  ): Promise<ReturnType<WriterCalls[K]>> {
    return this.send(call, args) as Promise<ReturnType<WriterCalls[K]>>;
  }

  async close(): Promise<void> {
    // The thread answers in order: `close` comes back after every call made before it.
    if (!this.stopped) await this.send('close', []).catch(() => {});
    // Held until the thread has ended, or the process could exit with close() still pending.
    this.worker.ref();
    await this.exited;
  }

  private send(call: string, args: unknown[]): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { call, resolve, reject });
      if (this.waiting.size === 1) this.worker.ref();
      this.worker.postMessage({ id, call, args } satisfies WriterRequest);
    });
  }

  private settle(reply: WriterReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (!reply.ok) waiting.reject(decodeError(reply.error));
    else waiting.resolve(waiting.call === 'commitGroup' ? decodeOutcomes(reply.value as never) : reply.value);
  }

  private stop(cause: unknown): void {
    this.stopped ??= new GuildmintError(
      ErrorCode.STORE_UNAVAILABLE,
      'the database writer stopped; a write that was under way may or may not have landed: retry it with the same ids, a landed one replays',
      { cause },
    );
    for (const waiting of this.waiting.values()) waiting.reject(this.stopped);
    this.waiting.clear();
  }
}

/** This module's URL, from the ESM build, the CJS build (no import.meta) or the sources alike. */
function here(): string {
  return typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
}

/**
 * ./writer-thread beside this module: `writer-thread.js` (or `.cjs`) in dist/, where every chunk sits
 * at the top level, and `writer-thread.ts` in the sources.
 */
function writerThreadEntry(): URL {
  const self = here();
  return new URL(`./writer-thread${extname(new URL(self).pathname)}`, self);
}

function startWorker(entry: URL, workerData: unknown): Worker {
  // From the sources (the tests), a plain-JS bootstrap beside the entry compiles TypeScript first.
  const script = entry.pathname.endsWith('.ts') ? new URL('./writer-thread.source.cjs', entry) : entry;
  return new Worker(script, { workerData });
}
