export { openPlatformStore } from './platform-store';
export type { AdminRole, PlatformStore, TenantRecord } from './types';
