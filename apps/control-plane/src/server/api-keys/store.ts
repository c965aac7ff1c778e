import type { Scope } from './scopes';
import type { KeyMode } from './token';

/** One API key as stored: never the key itself, only its hash and display prefix. */
export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  mode: KeyMode;
  prefix: string;
  hash: string;
  scopes: Scope[];
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  replacedBy: string | null;
}

/**
 * The API key table, on libSQL or PostgreSQL (the platform database: its migrations create the table).
 * One implementation for both (drizzle-store.ts), tested on both through API v1's suites.
 */
export interface ApiKeyStore {
  insert(key: ApiKeyRecord): Promise<void>;
  byHash(hash: string): Promise<ApiKeyRecord | null>;
  /** The keys among `hashes` that exist (in no particular order; at most a few hundred hashes per call). */
  byHashes(hashes: readonly string[]): Promise<ApiKeyRecord[]>;
  byPrefix(prefix: string): Promise<ApiKeyRecord | null>;
  /** A tenant's keys, newest first, revoked ones included. */
  list(tenantId: string): Promise<ApiKeyRecord[]>;
  /** Revokes a live key of this tenant; false when there is none (unknown, other tenant's, already revoked). */
  revoke(tenantId: string, id: string, at: Date): Promise<boolean>;
  /** Revokes `id` and inserts `replacement` in one transaction; false (and nothing written) as for revoke. */
  rotate(tenantId: string, id: string, replacement: ApiKeyRecord, at: Date): Promise<boolean>;
  /** Records a use at `at` unless one since `staleBefore` is already recorded (at most one write a minute). */
  touch(id: string, at: Date, staleBefore: Date): Promise<void>;
  close(): Promise<void>;
}
