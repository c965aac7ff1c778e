import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode } from '../errors.js';
import { readScope, type StateEffect, type StateRef, type StateRow } from '../stores/types.js';

// A member's provably fair seed pair: every draw a member causes (game rounds, robberies) takes the
// next nonce of it, so one commitment (`/fair show`) and one reveal (`/fair rotate`) cover them all.

/** A member's provably fair seed pair (the server seed stays secret until rotated). */
export interface SeedState {
  serverSeed: string;
  clientSeed: string;
  nonce: number;
}

export function seedRef(userId: string): StateRef {
  return { scope: STATE.seed, key: userId };
}

/** The member's current seeds, created on first use (committed when first played). */
export async function readSeed(
  ctx: TenantContext,
  userId: string,
): Promise<{ seeds: SeedState; version: bigint }> {
  return seedOf(ctx, (await readScope(ctx.store, ctx.tenant, STATE.seed, [userId])).get(userId));
}

export function seedOf(ctx: TenantContext, row: StateRow | undefined): { seeds: SeedState; version: bigint } {
  if (row?.json) return { seeds: JSON.parse(row.json) as SeedState, version: row.version };
  return { seeds: freshSeeds(ctx), version: 0n };
}

/**
 * New seeds from the economy's seed source: the operating system's cryptographic source, whatever
 * `random` the economy was given (that one may be seeded, and a server seed anyone can reproduce is no
 * secret). Only a simulation's own private economy draws them from its seed, so runs repeat exactly.
 */
export function freshSeeds(ctx: TenantContext, clientSeed?: string): SeedState {
  return { serverSeed: ctx.seeds.serverSeed(), clientSeed: clientSeed ?? ctx.seeds.clientSeed(), nonce: 0 };
}

export function seedEffect(userId: string, seeds: SeedState, version: bigint): StateEffect {
  return {
    kind: 'set',
    scope: STATE.seed,
    key: userId,
    value: BigInt(seeds.nonce),
    json: JSON.stringify(seeds),
    version,
    fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'your seed changed while playing; try again' },
  };
}

/** After a commit of `seedEffect(userId, seeds, version)`: the row it wrote (its guard passed, so version + 1). */
export function rememberSeed(ctx: TenantContext, userId: string, seeds: SeedState, version: bigint): void {
  ctx.known.remember(seedRef(userId), {
    value: BigInt(seeds.nonce),
    json: JSON.stringify(seeds),
    version: version + 1n,
  });
}
