import { ErrorCode, GuildmintError } from './errors.js';

const TENANT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** TENANT_INVALID unless `id` is a tenant id: 1-64 characters from A-Z a-z 0-9 _ -. */
export function assertTenantId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !TENANT_PATTERN.test(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : typeof id;
    throw new GuildmintError(
      ErrorCode.TENANT_INVALID,
      `tenant id ${shown} is invalid: use 1-64 characters from A-Z a-z 0-9 _ -`,
    );
  }
}
