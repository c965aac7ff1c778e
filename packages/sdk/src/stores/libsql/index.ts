export type { Store } from '../types.js';
export { LibsqlStore, type LibsqlStoreOptions } from './store.js';
