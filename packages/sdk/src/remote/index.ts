import { ErrorCode, GuildmintError } from '../errors.js';
import { RemoteHttp, type RemoteHttpOptions } from './http.js';
import { createRemoteTenant, type RemoteTenant } from './tenant.js';

export type { RemoteHttpOptions, RetryBudget } from './http.js';
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

/** `createEconomy({ remote })`'s economy: tenants reached over API v1 with one API key. */
export interface RemoteKeyEconomy {
  /**
   * A tenant over the API. The key's tenant is the only one it can reach: any other id is refused by the
   * API with FORBIDDEN on the first call.
   */
  tenant(id: string): RemoteTenant;
  /** Nothing to create: the control plane owns the tables. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The economy `createEconomy({ remote: { url, apiKey } })` opens (SDK-CONTRACT): like
 * `createRemoteEconomy`, without naming the key's tenant up front (the API checks every call).
 */
export function openRemoteEconomy(options: RemoteHttpOptions): RemoteKeyEconomy {
  const opened = new Map<string, { http: RemoteHttp; tenant: RemoteTenant }>();
  const open = (id: string) => {
    let entry = opened.get(id);
    if (!entry) {
      const http = new RemoteHttp(options, id);
      entry = { http, tenant: createRemoteTenant(id, http) };
      opened.set(id, entry);
    }
    return entry.tenant;
  };
  return {
    tenant: (id) => open(id),
    migrate: async () => {},
    close: async () => {
      await Promise.all([...opened.values()].map((entry) => entry.http.close()));
    },
  };
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
