import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_CACHE_MS } from '../src/economy/config-versions.js';
import { createEconomy, presets } from '../src/index.js';
import { statementsDuring } from './support/pg-statements.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/services.js';

describe.skipIf(!(await postgresAvailable()))(
  'config changes across processes (PostgreSQL LISTEN/NOTIFY)',
  () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('notify');
    });
    afterAll(async () => {
      await db.drop();
    });

    it('tells a second economy about a publish, and its tenant reads the new version at once', async () => {
      const publisher = createEconomy({ storage: db.url });
      const runtime = createEconomy({ storage: db.url });
      await Promise.all([publisher.migrate(), runtime.migrate()]);
      const tenant = runtime.tenant('guild-1');
      expect((await tenant.config()).version).toBe(0);
      const heard = new Promise<{ tenant: string; version: number }>((resolve) => {
        runtime.onConfigChange(resolve);
      });
      // LISTEN is set up asynchronously; publish until the listener hears one (bounded: 20 s). Each publish
      // is a change (a config equal to the latest publishes nothing), so alternate two presets.
      let change: { tenant: string; version: number } | undefined;
      for (let i = 0; i < 100 && !change; i++) {
        await publisher.tenant('guild-1').configure(i % 2 === 0 ? presets.cozy : presets.classic);
        change = await Promise.race([
          heard,
          new Promise<undefined>((r) => setTimeout(() => r(undefined), 200)),
        ]);
      }
      expect(change?.tenant).toBe('guild-1');
      expect((await tenant.config()).version).toBe(change!.version);
      expect((await tenant.config()).name).toBe(
        (await publisher.tenant('guild-1').configVersion(change!.version)).name,
      );
      await Promise.all([publisher.close(), runtime.close()]);
    });

    it('keeps a tenant config without re-reading it while it hears every publish (an economy opened by URL)', async () => {
      const publisher = createEconomy({ storage: db.url });
      const runtime = createEconomy({ storage: db.url });
      await Promise.all([publisher.migrate(), runtime.migrate()]);
      const tenant = runtime.tenant('guild-2');
      const heard = new Promise<void>((resolve) => runtime.onConfigChange(() => resolve()));
      // Publish until the listener hears one: LISTEN is connected from then on.
      let listening = false;
      for (let i = 0; i < 100 && !listening; i++) {
        await publisher.tenant('guild-2').configure(i % 2 === 0 ? presets.cozy : presets.classic);
        listening = await Promise.race([
          heard.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 200)),
        ]);
      }
      expect(listening).toBe(true);
      await tenant.config();
      // Past the age at which a tenant that cannot hear publishes re-reads its config.
      await new Promise((r) => setTimeout(r, CONFIG_CACHE_MS + 200));
      const { statements: reads } = await statementsDuring('FROM gm_configs', async () => {
        for (let i = 0; i < 5; i++) await tenant.config();
      });
      expect(reads).toEqual([]);
      await Promise.all([publisher.close(), runtime.close()]);
    });
  },
);
