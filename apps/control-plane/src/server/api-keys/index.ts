import { withKeyCache } from './cache';
import { LibsqlApiKeyStore } from './libsql-store';
import { PostgresApiKeyStore } from './postgres-store';
import type { ApiKeyStore } from './store';

export type { ApiKeyRecord, ApiKeyStore } from './store';

/**
 * The API key table in the platform database at `url` (the platform store's migrations create it), with
 * look-ups by hash cached for a second (cache.ts).
 */
export function openApiKeyStore(url: string): ApiKeyStore {
  if (/^postgres(ql)?:\/\//.test(url)) return withKeyCache(new PostgresApiKeyStore(url));
  if (url.startsWith('file:')) return withKeyCache(new LibsqlApiKeyStore(url));
  throw new Error(
    `API keys need a platform database that other connections can open, not ${url.split(':')[0]}:…`,
  );
}
