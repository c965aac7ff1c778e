import type { LibsqlWriter, WriterCalls } from './writer.js';

/** Where the store's writes run: inline on the caller's thread, or on the writer thread. */
export interface WriteExecutor {
  run<K extends keyof WriterCalls>(
    call: K,
    ...args: Parameters<WriterCalls[K]>
  ): Promise<ReturnType<WriterCalls[K]>>;
  /** Wait for the calls already made, then release the write connection. */
  close(): Promise<void>;
}

/**
 * The writes on this thread's own connection (`:memory:`, which another thread cannot open). Each call
 * runs synchronously from BEGIN to COMMIT, so reads on the same connection never see one half-done.
 */
export function inlineExecutor(writer: LibsqlWriter): WriteExecutor {
  return {
    async run(call, ...args) {
      const method = writer[call] as (...a: typeof args) => ReturnType<WriterCalls[typeof call]>;
      return method.apply(writer, args);
    },
    async close() {
      writer.close();
    },
  };
}
