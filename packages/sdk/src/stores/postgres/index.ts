export {
  abortMove,
  type ClusterStorage,
  ClusterStore,
  MOVE_STEPS,
  type MoveCheckpoint,
  type MoveOptions,
  type MoveReport,
  moveTenant,
  type Placement,
  parseClusters,
} from '../../placement/index.js';
export type { Store } from '../types.js';
export { TenantFencedError } from './fence.js';
export { POSTGRES_TIMEOUTS, PostgresStore, type PostgresStoreOptions } from './store.js';
