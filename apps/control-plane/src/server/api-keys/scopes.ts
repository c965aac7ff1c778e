import { z } from 'zod';

/**
 * What a key may do. `read`: balances, inventories, stats, config. `write`: what members do (pay, claim,
 * buy, play). `admin`: what moderators do (grant, revoke, freeze, rollback, publish a config, ledger
 * transfers). `webhooks`: manage webhook endpoints. A wider scope includes the narrower ones on its line:
 * admin ⊃ write ⊃ read; `webhooks` stands alone.
 */
export const SCOPES = ['read', 'write', 'admin', 'webhooks'] as const;
export type Scope = (typeof SCOPES)[number];
export const scopeSchema = z.enum(SCOPES);

const INCLUDES: Record<Scope, readonly Scope[]> = {
  read: ['read'],
  write: ['write', 'read'],
  admin: ['admin', 'write', 'read'],
  webhooks: ['webhooks'],
};

export function allows(granted: readonly Scope[], needed: Scope): boolean {
  return granted.some((scope) => INCLUDES[scope].includes(needed));
}

/** Deduplicated, in the order of SCOPES: how scopes are stored and shown. */
export function canonicalScopes(scopes: readonly Scope[]): Scope[] {
  return SCOPES.filter((scope) => scopes.includes(scope));
}

/** Stored scopes back to a list; anything unknown is dropped (never widened). */
export function readScopes(stored: string): Scope[] {
  return canonicalScopes(
    stored.split(',').filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
  );
}
