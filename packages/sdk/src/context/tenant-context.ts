import type { EconomyConfig } from '../config/schema.js';
import type { SeedSource } from '../games/fairness.js';
import type { TenantLedger } from '../ledger/ledger.js';
import type { RandomSource } from '../random.js';
import type { Clock } from '../stores/clock.js';
import type { LedgerOp, Store, StoredTransfer } from '../stores/types.js';
import type { KnownRows } from './known-rows.js';

export interface ActiveConfig {
  config: EconomyConfig;
  version: number;
}

/**
 * Everything a primitive needs to act for one tenant. Primitives run inside one of the tenant's gated
 * operations (`tenant.ts`), so the context's own calls open no gate of their own.
 */
export interface TenantContext {
  readonly tenant: string;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** New provably fair seed pairs (node:crypto; only a simulation's private economy has its own). */
  readonly seeds: SeedSource;
  /** The tenant's ledger, opening no gate of its own (the operation holds one). */
  readonly ledger: TenantLedger;
  /** Version-guarded rows as this process last committed them: an operation may skip reading them ahead. */
  readonly known: KnownRows;
  /** The tenant's current config (the `classic` preset until one is published). */
  config(): Promise<ActiveConfig>;
  /** Commit an op for this tenant through the grouped write path. */
  submit(op: Omit<LedgerOp, 'tenant'>): Promise<StoredTransfer[]>;
  /** Count one money-moving command by a member against the rate limit of `config` (RATE_LIMITED). */
  limit(userId: string, config: EconomyConfig): Promise<void>;
  /** Give back one command `limit` counted: its request was the replay of one already answered. */
  refundLimit(userId: string): Promise<void>;
}
