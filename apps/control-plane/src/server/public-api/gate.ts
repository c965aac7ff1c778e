import { authenticate, type KeyRefusal } from '../api-keys/keys';
import { allows, type Scope } from '../api-keys/scopes';
import type { ApiKeyRecord, ApiKeyStore } from '../api-keys/store';
import { ApiError } from './errors';
import { type ApiRateLimit, type RateVerdict, rateLimitHeaders } from './rate-limit';

export interface GateServices {
  apiKeys: ApiKeyStore;
  apiRateLimit: ApiRateLimit;
  now(): Date;
}

const REFUSALS: Record<KeyRefusal, string> = {
  missing: 'an API key is required: send `Authorization: Bearer gm_live_…`',
  malformed: 'this is not a Guildmint API key (wrong format or checksum)',
  unknown: 'this API key does not exist',
  revoked: 'this API key was revoked',
  expired: 'this API key has expired',
};

/** The key from `Authorization: Bearer <key>`; null when absent. */
export function bearerKey(authorization: string | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? (match[1] as string) : authorization.trim();
}

/**
 * Admits a request, or throws the ApiError that refuses it, in this order: a key that is missing,
 * malformed, unknown, revoked or expired (401 UNAUTHORIZED); a key of another tenant or without the
 * operation's scope (403 FORBIDDEN); a key over its rate limit (429 RATE_LIMITED, with Retry-After).
 * Nothing is done for a refused request. Admitted: the key and the headers every answer carries.
 */
export async function admit(
  services: GateServices,
  r: { authorization: string | null; tenantId: string; scope: Scope },
): Promise<{ key: ApiKeyRecord; headers: Record<string, string> }> {
  const verdict = await authenticate(services.apiKeys, bearerKey(r.authorization), services.now());
  if (!verdict.ok)
    throw new ApiError(401, 'UNAUTHORIZED', REFUSALS[verdict.refusal], { 'WWW-Authenticate': 'Bearer' });
  const { key } = verdict;
  // The same answer for a tenant that does not exist: a key learns nothing about other tenants.
  if (key.tenantId !== r.tenantId)
    throw new ApiError(403, 'FORBIDDEN', 'this API key belongs to another tenant');
  if (!allows(key.scopes, r.scope))
    throw new ApiError(
      403,
      'FORBIDDEN',
      `this API key lacks the \`${r.scope}\` scope (it has: ${key.scopes.join(', ')})`,
    );
  const rate: RateVerdict = await services.apiRateLimit.consume(key.id, key.tenantId);
  const headers = rateLimitHeaders(rate);
  if (!rate.ok)
    throw new ApiError(
      429,
      'RATE_LIMITED',
      `over ${rate.limit} requests a minute for this key; retry later`,
      headers,
      new Date(services.now().getTime() + rate.resetMs),
    );
  return { key, headers };
}

/** Who acts in the audit log when a key does something. */
export const actorOf = (key: ApiKeyRecord) => `api-key:${key.prefix}`;
