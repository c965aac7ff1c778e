import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newWebhookSecret } from '@guildmint/sdk/webhooks';
import { createClient } from '@libsql/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextId } from '../../../test/support/harness';
import { createTestDatabase, type TestDatabase } from '../../../test/support/services';
import { openPlatformStore, type PlatformStore } from '../db';
import { newEndpointRecord, ROTATION_OVERLAP_MS } from './endpoints';
import { secretKeyring } from './secret-box';
import { type EndpointStore, openEndpointStore } from './store';

const newKey = () => randomBytes(32).toString('base64');

/**
 * Endpoint secrets at rest on one platform database: the column never holds a secret, a sealed one
 * opens only on its own row, rows from before encryption are read and then sealed, and a key rotates
 * (the old one kept as previous until every row is resealed under the new one).
 */
export function describeSecretsAtRest(kind: 'libsql' | 'postgres') {
  describe(`webhook endpoint secrets at rest (${kind})`, () => {
    let url = '';
    let dir = '';
    let db: TestDatabase | undefined;
    let platform: PlatformStore;
    const stores: EndpointStore[] = [];
    const keyA = newKey();
    const keyB = newKey();
    const storeWith = (current: string, previous?: string) => {
      const store = openEndpointStore(url, secretKeyring({ current, previous, production: true }));
      stores.push(store);
      return store;
    };
    /** The columns as the database holds them. */
    const raw = async (id: string): Promise<{ secret: string; previous: string | null }> => {
      const sql = 'SELECT secret, previous_secret FROM cp_webhook_endpoints WHERE id = $1';
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const row = (await client.query(sql, [id])).rows[0];
          return { secret: row.secret, previous: row.previous_secret };
        } finally {
          await client.end();
        }
      }
      const client = createClient({ url });
      try {
        const row = (await client.execute({ sql: sql.replace('$1', '?'), args: [id] })).rows[0]!;
        return { secret: String(row.secret), previous: row.previous_secret as string | null };
      } finally {
        client.close();
      }
    };
    const write = async (id: string, column: 'secret' | 'previous_secret', value: string) => {
      const sql = `UPDATE cp_webhook_endpoints SET ${column} = $1 WHERE id = $2`;
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(sql, [value, id]).finally(() => client.end());
        return;
      }
      const client = createClient({ url });
      await client
        .execute({ sql: sql.replace('$1', '?').replace('$2', '?'), args: [value, id] })
        .finally(() => client.close());
    };
    const tenant = async () => {
      const id = nextId();
      await platform.createTenant(
        { id, guildId: id, name: 'Secrets', ownerUserId: 'owner', preset: 'classic' },
        { userId: 'owner', role: 'owner' },
        new Date(),
      );
      return id;
    };
    const endpoint = async (store: EndpointStore, tenantId: string) => {
      const secret = newWebhookSecret();
      const record = newEndpointRecord(
        {
          tenantId,
          url: 'https://hooks.example/x',
          description: '',
          eventTypes: [],
          secret,
          createdBy: 'owner',
        },
        new Date(),
      );
      await store.insert(record);
      return record;
    };

    beforeAll(async () => {
      if (kind === 'postgres') {
        db = await createTestDatabase('secrets');
        url = db.url;
      } else {
        dir = mkdtempSync(join(tmpdir(), 'guildmint-secrets-'));
        url = `file:${join(dir, 'platform.db')}`;
      }
      platform = openPlatformStore(url);
      await platform.migrate();
      await platform.upsertUser({ id: 'owner', name: 'Owner', image: null });
    });
    afterAll(async () => {
      for (const store of stores) await store.close();
      await platform?.close();
      await db?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('never holds a secret in the column, the rotation’s previous one included', async () => {
      const store = storeWith(keyA);
      const record = await endpoint(store, await tenant());
      const next = newWebhookSecret();
      const previousExpiresAt = new Date(Date.now() + ROTATION_OVERLAP_MS);
      await store.update(record.tenantId, record.id, {
        secret: next,
        previousSecret: record.secret,
        previousExpiresAt,
      });
      const stored = await raw(record.id);
      const keyId = secretKeyring({ current: keyA, production: true }).current.id;
      for (const column of [stored.secret, stored.previous ?? '']) {
        expect(column.startsWith(`gmsec1:${keyId}:`)).toBe(true);
        expect(column).not.toContain('whsec_');
        for (const secret of [record.secret, next, record.secret.slice(6), next.slice(6)])
          expect(column).not.toContain(secret);
      }
      expect(await store.get(record.tenantId, record.id)).toMatchObject({
        secret: next,
        previousSecret: record.secret,
      });
      expect((await store.list(record.tenantId)).map((e) => e.secret)).toEqual([next]);
      expect((await store.enabledByIds([record.id])).map((e) => e.secret)).toEqual([next]);
    });

    it('opens a sealed secret only on its own row', async () => {
      const store = storeWith(keyA);
      const tenantId = await tenant();
      const [mine, theirs] = [await endpoint(store, tenantId), await endpoint(store, await tenant())];
      // Someone with write access to the table copies one endpoint's sealed secret onto another.
      await write(theirs.id, 'secret', (await raw(mine.id)).secret);
      await expect(store.get(theirs.tenantId, theirs.id)).rejects.toThrow();
      expect((await store.get(tenantId, mine.id))?.secret).toBe(mine.secret);
      // A reseal leaves it as it is, and names it.
      const rotated = storeWith(keyB, keyA);
      expect((await rotated.resealSecrets()).unreadable).toEqual([theirs.id]);
      expect((await rotated.get(tenantId, mine.id))?.secret).toBe(mine.secret);
      await store.remove(theirs.tenantId, theirs.id);
    });

    it('reads rows from before encryption as they are, and seals them when resealed', async () => {
      const store = storeWith(keyB, keyA);
      const record = await endpoint(store, await tenant());
      const plain = newWebhookSecret();
      await write(record.id, 'secret', plain);
      expect((await store.get(record.tenantId, record.id))?.secret).toBe(plain);
      expect((await store.resealSecrets()).resealed).toBe(1);
      expect((await raw(record.id)).secret).not.toContain(plain.slice(6));
      expect((await store.get(record.tenantId, record.id))?.secret).toBe(plain);
      expect((await store.resealSecrets()).resealed).toBe(0);
    });

    it('rotates the key: the old one as previous reads every row until the reseal moves them to the new one', async () => {
      const before = storeWith(keyA);
      const record = await endpoint(before, await tenant());
      const rotated = storeWith(keyB, keyA);
      expect((await rotated.get(record.tenantId, record.id))?.secret).toBe(record.secret);
      expect((await rotated.resealSecrets()).unreadable).toEqual([]);
      const keyIdB = secretKeyring({ current: keyB, production: true }).current.id;
      expect((await raw(record.id)).secret.startsWith(`gmsec1:${keyIdB}:`)).toBe(true);
      // The old key can go: the new one alone opens every row, and the old one alone opens none.
      expect((await storeWith(keyB).get(record.tenantId, record.id))?.secret).toBe(record.secret);
      await expect(storeWith(keyA).get(record.tenantId, record.id)).rejects.toThrow(
        /GUILDMINT_SECRETS_KEY_PREVIOUS/,
      );
    });
  });
}

/** What the keyring accepts (store-independent). */
export function describeKeyring() {
  describe('the secrets keyring', () => {
    it('refuses a production start without GUILDMINT_SECRETS_KEY, and a key that is not 32 bytes', () => {
      expect(() => secretKeyring({ current: undefined, production: true })).toThrow(/GUILDMINT_SECRETS_KEY/);
      expect(() => secretKeyring({ current: 'c2hvcnQ=', production: false })).toThrow(/32 random bytes/);
      expect(() => secretKeyring({ current: newKey(), previous: 'nope', production: true })).toThrow(
        /GUILDMINT_SECRETS_KEY_PREVIOUS/,
      );
      const dev = secretKeyring({ current: undefined, production: false });
      expect(dev.current.key).toHaveLength(32);
    });
  });
}
