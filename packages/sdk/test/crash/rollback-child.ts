/**
 * The child of the rollback crash test: opens the storage, then rolls one member back. Protocol, one
 * JSON line each: `ready` once migrated; `start` just before `rollback()` is called; `commit` (with
 * the op's transfer count) whenever the rollback hands a write to the store; `done` (reversed) once
 * it resolves. It then idles: the parent always ends it with SIGKILL.
 */
import { createEconomy } from '../../src/index.js';
import { systemClock } from '../../src/stores/clock.js';
import { openStore } from '../../src/stores/open.js';
import type { Store } from '../../src/stores/types.js';
import { say } from '../conformance/concurrency-child.js';

export interface RollbackChildConfig {
  url: string;
  tenant: string;
  userId: string;
  since: string;
}

const config = JSON.parse(process.argv[2]!) as RollbackChildConfig;

try {
  const store = openStore(config.url, systemClock);
  const announced: Store = {
    ...store,
    commit: (op) => {
      if (op.transfers.some((t) => t.reverses !== null) || op.audit?.some((a) => a.action === 'rollback')) {
        say({ t: 'commit', transfers: op.transfers.length });
      }
      return store.commit(op);
    },
  };
  const economy = createEconomy({ storage: announced });
  await economy.migrate();
  say({ t: 'ready' });
  say({ t: 'start' });
  const { reversed } = await economy
    .tenant(config.tenant)
    .rollback(config.userId, { since: new Date(config.since), reason: 'crash test exploit' });
  say({ t: 'done', reversed });
  setInterval(() => {}, 60_000);
} catch (error) {
  say({ t: 'fatal', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
}
