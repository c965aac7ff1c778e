export { openPackStore } from './drizzle-store';
export type { ConnectAccountRecord, ConnectStatus, OrderRecord, PackRecord, PackStore } from './store';
