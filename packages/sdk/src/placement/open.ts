import { loadDriver } from '../drivers.js';
import type { Clock } from '../stores/clock.js';
import { deferredStore } from '../stores/deferred.js';
import type { Store } from '../stores/types.js';
import type { ClusterStorage } from './clusters.js';

/** Opens the tenants-across-clusters store on first use, loading `pg` then (as `openStore` does for a URL). */
export function openClusterStore(storage: ClusterStorage, clock: Clock): Store {
  return deferredStore('postgres', async () => {
    const { ClusterStore } = await loadDriver(
      'pg',
      'The PostgreSQL clusters store',
      () => import('./cluster-store.js'),
    );
    return new ClusterStore(storage, { clock });
  });
}
