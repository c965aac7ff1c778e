export { LibsqlStore, type LibsqlStoreOptions } from './store.js';
export type { Store } from '../types.js';
