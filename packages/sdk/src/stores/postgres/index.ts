export type { Store } from '../types.js';
export { POSTGRES_TIMEOUTS, PostgresStore, type PostgresStoreOptions } from './store.js';
