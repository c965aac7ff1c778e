import { withKeyCache } from './cache';
import { openUncachedApiKeyStore } from './drizzle-store';
import type { ApiKeyStore } from './store';

export type { ApiKeyRecord, ApiKeyStore } from './store';

/**
 * The API key table in the platform database at `url` (the platform store's migrations create it), with
 * look-ups by hash cached for a second (cache.ts).
 */
export function openApiKeyStore(url: string): ApiKeyStore {
  return withKeyCache(openUncachedApiKeyStore(url));
}
