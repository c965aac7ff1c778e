import { createLoad, type LoadTarget, type Op } from './api-load';

/**
 * The bench's clients in a process of their own (forked by api.bench.ts), as real clients are remote:
 * the server's process then spends CPU on the server alone. Told its target once, then one workload per
 * message; answers each with the workload's LoadResult (its own CPU included).
 */
type Message =
  | { target: LoadTarget }
  | { op: Op; keyCount: number; ms: number; rate?: number }
  | { close: true };

let load: ReturnType<typeof createLoad> | undefined;
// The bench gone (ended, or failed): nothing left to drive.
process.on('disconnect', () => process.exit(0));
process.on('message', async (m: Message) => {
  if ('target' in m) {
    load = createLoad(m.target);
    process.send?.({ ready: true });
  } else if ('close' in m) {
    load?.close();
    process.disconnect();
  } else {
    if (!load) throw new Error('api-clients: no target yet');
    process.send?.(await load.run(m.op, m.keyCount, m.ms, m.rate));
  }
});
