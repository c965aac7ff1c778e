import type { Command } from 'commander';
import { openApiKeyStore } from '../server/api-keys';
import { createKey } from '../server/api-keys/keys';
import { SCOPES, type Scope, scopeSchema } from '../server/api-keys/scopes';
import { openPlatformStore } from '../server/db';

/** Thrown for an operator's mistake: printed as one line on stderr, exit code 1. */
export class CliError extends Error {}

const DAY_MS = 86_400_000;

function parseScopes(text: string): Scope[] {
  const scopes = text.split(',').map((s) => s.trim());
  const bad = scopes.filter((s) => !scopeSchema.safeParse(s).success);
  if (bad.length) throw new CliError(`unknown scope ${bad.join(', ')}: use ${SCOPES.join(', ')}`);
  return scopes as Scope[];
}

/** `keys create` and `keys revoke`, on the platform database at `databaseUrl`. */
export function keysCommand(program: Command, databaseUrl: () => string, out: (line: string) => void): void {
  const keys = program.command('keys').description('create and revoke API keys');

  keys
    .command('create')
    .description('create an API key for a tenant; the key is printed alone on the last line, and never again')
    .requiredOption('--tenant <id>', 'the tenant (its guild id)')
    .option('--scopes <list>', `comma-separated: ${SCOPES.join(', ')}`, 'read,write')
    .option('--test', 'a test key (gm_test_…) instead of a live one (gm_live_…)')
    .option('--name <name>', 'what the key is for, shown in the control plane', 'created by the operator CLI')
    .option('--expires-in-days <days>', 'days until it expires (default: until revoked)')
    .action(
      async (o: { tenant: string; scopes: string; test?: boolean; name: string; expiresInDays?: string }) => {
        const scopes = parseScopes(o.scopes);
        const days = o.expiresInDays === undefined ? null : Number(o.expiresInDays);
        if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 3650))
          throw new CliError('--expires-in-days takes a whole number of days from 1 to 3650');
        await withStores(databaseUrl(), async ({ platform, apiKeys }) => {
          if (!(await platform.tenant(o.tenant)))
            throw new CliError(`no tenant ${o.tenant}: its owner onboards it in the control plane first`);
          const now = new Date();
          const { secret, key } = await createKey(
            apiKeys,
            {
              tenantId: o.tenant,
              name: o.name,
              mode: o.test ? 'test' : 'live',
              scopes,
              expiresAt: days === null ? null : new Date(now.getTime() + days * DAY_MS),
              createdBy: 'cli',
            },
            now,
          );
          out(
            `Created ${key.prefix}… for tenant ${key.tenantId} (scopes: ${key.scopes.join(', ')}${key.expiresAt ? `; expires ${key.expiresAt.toISOString()}` : ''}).`,
          );
          out('The key, shown this once:');
          out(secret);
        });
      },
    );

  keys
    .command('revoke')
    .description('revoke an API key by its prefix (as the control plane lists it, e.g. gm_live_AbC12xYz)')
    .argument('<prefix>', 'the key’s display prefix')
    .action(async (prefix: string) => {
      await withStores(databaseUrl(), async ({ apiKeys }) => {
        const key = await apiKeys.byPrefix(prefix.replace(/…$/, ''));
        if (!key) throw new CliError(`no API key with the prefix ${prefix}`);
        if (!(await apiKeys.revoke(key.tenantId, key.id, new Date())))
          throw new CliError(`${prefix} was already revoked`);
        out(`Revoked ${key.prefix} ("${key.name}") of tenant ${key.tenantId}.`);
      });
    });
}

async function withStores<T>(
  url: string,
  work: (s: {
    platform: ReturnType<typeof openPlatformStore>;
    apiKeys: ReturnType<typeof openApiKeyStore>;
  }) => Promise<T>,
): Promise<T> {
  const platform = openPlatformStore(url);
  try {
    await platform.migrate();
    const apiKeys = openApiKeyStore(url);
    try {
      return await work({ platform, apiKeys });
    } finally {
      await apiKeys.close();
    }
  } finally {
    await platform.close();
  }
}
