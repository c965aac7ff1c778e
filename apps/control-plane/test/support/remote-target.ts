import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Economy } from '@guildmint/sdk';
import { afterAll, beforeAll, expect } from 'vitest';
// The SDK's own source, not its build: the conformance suites compare errors with the source's classes
// (`instanceof RetryLaterError`), so the client they test must throw those. The SDK never imports the
// control plane; the control plane's tests import the SDK's suites (test code, not published).
import { createRemoteEconomy, type RemoteEconomy } from '../../../../packages/sdk/src/remote/index';
import {
  type RemoteTargetName,
  type StoreTarget,
  shareStore,
  storeOf,
  useStore,
} from '../../../../packages/sdk/test/support/stores';
import { type ApiKeyStore, openApiKeyStore } from '../../src/server/api-keys';
import { createKey } from '../../src/server/api-keys/keys';
import { openPlatformStore, type PlatformStore } from '../../src/server/db';
import { createApiRateLimit } from '../../src/server/public-api/rate-limit';
import type { Services } from '../../src/server/services';
import { startApiServer } from './api-server';
import { nextId } from './harness';

/** What API v1 deliberately leaves out of the contract (the remote client's doc comment says why). */
const NOT_OFFERED: NonNullable<StoreTarget['lacks']> = {
  'economy.migrate': 'the control plane migrates its own store',
  'economy.onConfigChange': 'an in-process event; a remote caller subscribes to config.published webhooks',
  'tenant.ledger.transferAll': 'raw batches are the SDK’s own write path, not API v1’s',
  'tenant.presence': 'the bot’s own bookkeeping',
  'tenant.settleExpiredRounds': 'the bot’s sweep, not a caller’s',
  'audit.callerActor': {
    reason: 'the audit log names the API key that acted (api-key:<prefix>), never an actor the caller claims',
    async proof(economy) {
      const t = economy.tenant(`actor_${nextId()}`);
      await t.grant('x', 1n, { reason: 'claimed actor', actor: 'mod-2' });
      const [entry] = await t.auditLog();
      expect(entry).toMatchObject({ action: 'grant', target: 'user:x', reason: 'claimed actor' });
      expect(entry?.actor).toMatch(/^api-key:gm_test_/);
    },
  },
};

const OWNER = 'conformance-owner';

/** Stands for the API server's address until it listens: the fetch below puts the real one in. */
const PENDING = 'http://api-v1.pending';

/**
 * The conformance suites' remote target: every `open()` serves API v1's JSON routes on a loopback port
 * over a local economy on the real store (`libsql-file`, or `postgres`), and answers with an economy
 * whose tenants are the SDK's remote client, each with an admin key of its tenant made through the
 * control plane's key path (createKey: hashed in the platform database, checked by the API's gate).
 */
export function useRemoteStore(name: RemoteTargetName): StoreTarget {
  const local = useStore(name === 'remote-postgres' ? 'postgres' : 'libsql-file');
  let keys: ApiKeyStore;
  let platform: PlatformStore;
  let dir = '';
  const keyOf = new Map<string, Promise<string>>();
  beforeAll(async () => {
    let platformUrl = local.url();
    if (name === 'remote-libsql') {
      dir = mkdtempSync(join(tmpdir(), 'guildmint-remote-'));
      platformUrl = `file:${join(dir, 'platform.db')}`;
    }
    platform = openPlatformStore(platformUrl);
    await platform.migrate();
    await platform.upsertUser({ id: OWNER, name: 'Conformance', image: null });
    keys = openApiKeyStore(platformUrl);
  });
  afterAll(async () => {
    await keys?.close();
    await platform?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const apiKey = (tenantId: string) => {
    let key = keyOf.get(tenantId);
    if (!key) {
      key = keyFor(tenantId);
      keyOf.set(tenantId, key);
    }
    return key;
  };

  /** The tenant as onboarding records it, then an admin key of it. */
  const keyFor = async (tenantId: string) => {
    const at = new Date();
    const tenant = {
      id: tenantId,
      guildId: tenantId,
      name: tenantId,
      ownerUserId: OWNER,
      preset: 'classic' as const,
    };
    await platform.createTenant(tenant, { userId: OWNER, role: 'owner' }, at);
    const input = { tenantId, name: 'conformance', mode: 'test' as const, scopes: ['admin' as const] };
    return (await createKey(keys, { ...input, expiresAt: null, createdBy: OWNER }, at)).secret;
  };

  return {
    name,
    url: local.url,
    lacks: NOT_OFFERED,
    open(options) {
      const economy = local.open(options);
      const rateLimit = createApiRateLimit({
        requestsPerMinute: async () => 1_000_000,
        keyPrefix: `conformance:${nextId()}`,
      });
      const services = { economy, apiKeys: keys, apiRateLimit: rateLimit, now: () => new Date() };
      const server = startApiServer(services as unknown as Services);
      // The server and the tenant's key are made on first use; every request then goes to them.
      const fetchFor =
        (tenantId: string): typeof fetch =>
        async (input, init) => {
          const [{ url }, key] = await Promise.all([server, apiKey(tenantId)]);
          const headers = { ...(init?.headers as Record<string, string>), authorization: `Bearer ${key}` };
          return fetch(String(input).replace(PENDING, url), { ...init, headers });
        };
      const remotes = new Map<string, RemoteEconomy>();
      const remote = {
        tenant(id: string) {
          let r = remotes.get(id);
          if (!r) {
            const retry = { attempts: 3, budgetMs: 5_000, attemptTimeoutMs: 5_000 };
            r = createRemoteEconomy({
              url: PENDING,
              apiKey: 'set-per-request',
              tenantId: id,
              retry,
              fetch: fetchFor(id),
            });
            remotes.set(id, r);
          }
          return r.tenant(id);
        },
        async close() {
          await Promise.all([...remotes.values()].map((r) => r.close()));
          await (await server).close();
          await economy.close();
        },
      } as unknown as Economy;
      shareStore(remote, storeOf(economy));
      return remote;
    },
  };
}
