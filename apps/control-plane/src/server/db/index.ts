import { LibsqlPlatformStore } from './libsql-store';
import { PostgresPlatformStore } from './postgres-store';
import type { PlatformStore } from './types';

export type { AdminRole, PlatformStore, TenantRecord } from './types';

/** Opens the platform tables: `postgres://…` on PostgreSQL, `file:…` (or `:memory:`) on libSQL. */
export function openPlatformStore(url: string): PlatformStore {
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresPlatformStore(url);
  if (url.startsWith('file:') || url === ':memory:') return new LibsqlPlatformStore(url);
  throw new Error(`unsupported platform database URL: ${url.split(':')[0]}:…`);
}
