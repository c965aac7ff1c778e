import { defineEconomy } from '../config/define.js';
import type { EconomyConfigInput } from '../config/schema.js';
import { KnownRows } from '../context/known-rows.js';
import type { TenantContext } from '../context/tenant-context.js';
import { createEconomy, type Economy } from '../economy.js';
import { RetryLaterError } from '../errors.js';
import { cryptoSeeds } from '../games/fairness.js';
import { TenantLedger, UNGATED } from '../ledger/ledger.js';
import { seededRandom } from '../random.js';
import { openStore } from '../stores/open.js';
import type { Tenant } from '../tenant.js';

// Test support only (no production code imports it): a real in-memory economy on a hand-driven clock,
// plus the TenantContext the tenant facade keeps to itself, built the way `tenant.ts` builds it.

export interface TestEconomy {
  economy: Economy;
  tenant: Tenant;
  ctx: TenantContext;
  /** Sets the clock (ISO string or Date). */
  at(when: string | Date): void;
  now(): Date;
}

export async function openTestEconomy(
  start: string,
  config: EconomyConfigInput,
  tenantId = 'guild-1',
): Promise<TestEconomy> {
  let now = new Date(start);
  const clock = { now: () => new Date(now.getTime()) };
  const store = openStore(':memory:', clock);
  const economy = createEconomy({ storage: store, clock, random: seededRandom(7) });
  const tenant = economy.tenant(tenantId);
  await tenant.configure(defineEconomy(config));
  const ctx: TenantContext = {
    tenant: tenantId,
    store,
    clock,
    random: seededRandom(11),
    seeds: cryptoSeeds,
    ledger: new TenantLedger(tenantId, store, UNGATED),
    known: new KnownRows(),
    // Through the facade, so a later `tenant.configure` is seen here too.
    config: async () => {
      const { version, ...config } = await tenant.config();
      return { config, version };
    },
    submit: (op) => store.commit({ ...op, tenant: tenantId }),
    limit: async () => {},
    refundLimit: async () => {},
  };
  return {
    economy,
    tenant,
    ctx,
    at: (when) => {
      now = new Date(when);
    },
    now: () => clock.now(),
  };
}

/** The `RetryLaterError` (COOLDOWN, RATE_LIMITED) a promise rejects with; anything else fails the test. */
export async function retryLaterError(promise: Promise<unknown>): Promise<RetryLaterError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome instanceof RetryLaterError) return outcome;
  throw new Error(`expected a RetryLaterError, got ${outcome === undefined ? 'success' : String(outcome)}`);
}
