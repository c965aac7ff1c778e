/**
 * The mover of the placement tests, as its own process: moves one tenant and says `done` with the report,
 * or SIGKILLs itself at the checkpoint `crashAt` (a mover killed there, mid-step, as `kill -9` would).
 */
import { ClusterStore, type MoveCheckpoint, moveTenant } from '../../src/stores/postgres/index.js';
import { say } from '../conformance/concurrency-child.js';

export interface MoverConfig {
  clusters: Record<string, string>;
  tenant: string;
  to: string;
  crashAt?: MoveCheckpoint;
  graceMs: number;
  pageRows?: number;
}

const config = JSON.parse(process.argv[2]!) as MoverConfig;
const store = new ClusterStore({ clusters: config.clusters });
try {
  const report = await moveTenant(store, config.tenant, config.to, {
    graceMs: config.graceMs,
    ...(config.pageRows !== undefined && { pageRows: config.pageRows }),
    onStep: (step) => {
      say({ t: 'step', step });
      if (step === config.crashAt) process.kill(process.pid, 'SIGKILL');
    },
  });
  say({ t: 'done', report });
} catch (error) {
  say({ t: 'error', message: error instanceof Error ? error.message : String(error) });
} finally {
  await store.close();
}
