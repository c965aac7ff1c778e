import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { LoadResult, LoadTarget, Op } from './api-load';

/**
 * The bench's clients in a child process (api-clients.ts, started with this process's loader flags, so tsx
 * runs it as it runs the bench): the same `run` as createLoad's, answered over IPC one workload at a time.
 */
export async function forkedLoad(target: LoadTarget): Promise<{
  run(op: Op, keyCount: number, ms: number, rate?: number): Promise<LoadResult>;
  close(): Promise<void>;
}> {
  const child = fork(new URL('./api-clients.ts', import.meta.url), { execArgv: process.execArgv });
  const exited = once(child, 'exit');
  const next = (): Promise<unknown> =>
    Promise.race([
      once(child, 'message').then(([m]) => m),
      exited.then(([code]) => {
        throw new Error(`the clients' process ended (exit ${code})`);
      }),
    ]);
  child.send({ target });
  await next();
  return {
    async run(op, keyCount, ms, rate) {
      child.send({ op, keyCount, ms, rate });
      return (await next()) as LoadResult;
    },
    async close() {
      child.send({ close: true });
      await exited;
    },
  };
}
