export type { Store } from '../types.js';
export { PostgresStore, type PostgresStoreOptions } from './store.js';
