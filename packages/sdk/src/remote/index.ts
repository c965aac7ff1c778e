import { ErrorCode, GuildmintError } from '../errors.js';
import { RemoteHttp, type RemoteHttpOptions } from './http.js';
import { createRemoteTenant, type RemoteTenant } from './tenant.js';

export type { RetryBudget } from './http.js';
export type { RemoteLedger, RemoteTenant } from './tenant.js';

export interface RemoteEconomyOptions extends RemoteHttpOptions {
  /** The tenant the API key belongs to: the only one this economy serves. */
  tenantId: string;
}

/** An economy whose one tenant lives on a Guildmint control plane, reached through API v1. */
export interface RemoteEconomy {
  /** The key's tenant; any other id is refused with FORBIDDEN before anything is sent. */
  tenant(id: string): RemoteTenant;
  /**
   * As a local economy's: calls already sent finish (their callers get their answers), then every call
   * fails with STORE_UNAVAILABLE. Nothing else to release: each call is its own request.
   */
  close(): Promise<void>;
}

/**
 * Opens the tenant of an API key over HTTP: the same calls, types and error codes as a local
 * economy's tenant. Writes carry an idempotency key (the caller's `key`, or one made per call), and a
 * call that lost its connection, timed out or met a 502/503/504 is sent again with that same key within
 * the retry budget, then fails with STORE_UNAVAILABLE; a 429 waits for its Retry-After.
 */
export function createRemoteEconomy(options: RemoteEconomyOptions): RemoteEconomy {
  const http = new RemoteHttp(options, options.tenantId);
  const tenant = createRemoteTenant(options.tenantId, http);
  return {
    tenant(id) {
      if (id !== options.tenantId)
        throw new GuildmintError(
          ErrorCode.FORBIDDEN,
          `this remote economy serves tenant ${options.tenantId} only (its API key's tenant)`,
        );
      return tenant;
    },
    close: () => http.close(),
  };
}
