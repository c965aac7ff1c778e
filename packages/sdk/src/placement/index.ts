export { ClusterStore } from './cluster-store.js';
export { type ClusterStorage, isClusterStorage, parseClusters } from './clusters.js';
export { type MoveStep, PLACEMENT_CHANNEL, type Placement, PlacementDirectory } from './directory.js';
export {
  abortMove,
  MOVE_STEPS,
  type MoveCheckpoint,
  type MoveOptions,
  type MoveReport,
  moveTenant,
} from './mover.js';
