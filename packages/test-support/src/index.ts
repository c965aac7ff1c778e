export {
  autoFailoverAvailable,
  type FailoverCluster,
  type FailoverNode,
  startFailoverCluster,
} from './auto-failover.js';
export { BROWSER_CONTEXT, CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';
export {
  type LocalCluster,
  type LocalClusters,
  localClustersAvailable,
  startLocalClusters,
} from './clusters.js';
export { createTestDatabase, POSTGRES_URL, postgresAvailable, type TestDatabase } from './postgres.js';
export { REDIS_URL, redisAvailable } from './redis.js';
