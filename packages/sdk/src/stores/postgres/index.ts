export { PostgresStore, type PostgresStoreOptions } from './store.js';
export type { Store } from '../types.js';
