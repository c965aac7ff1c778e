// A PostgreSQL-only app on the packed SDK, on a machine where libsql (a native binary) is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOADED_DRIVERS, usePackedSdk } from './support/packed.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/services.js';

describe.skipIf(!(await postgresAvailable()))('the packed @guildmint/sdk on PostgreSQL', () => {
  const packed = usePackedSdk();
  let db: TestDatabase | undefined;
  let withoutLibsql = '';
  beforeAll(async () => {
    db = await createTestDatabase('packed');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it.each([
    ['ESM', 'mjs', `import * as sdk from '@guildmint/sdk';`],
    ['CJS', 'cjs', `const sdk = require('@guildmint/sdk');`],
  ])('runs where libsql is not installed (%s)', async (format, ext, load) => {
    withoutLibsql ||= packed.without(['libsql']);
    const out = await packed.runScript(
      `postgres-only.${ext}`,
      `${load}
${LOADED_DRIVERS}
(async () => {
  const economy = sdk.createEconomy({ storage: ${JSON.stringify(db!.url)} });
  await economy.migrate();
  const tenant = economy.tenant('guild_${format}');
  await tenant.claim('daily', 'alice');
  await tenant.pay({ from: 'alice', to: 'bob', amount: 30n });
  const result = {
    alice: String(await tenant.balance('alice')),
    bob: String(await tenant.balance('bob')),
    verify: await tenant.ledger.verify(),
    drivers: loadedDrivers(),
  };
  await economy.close();
  console.log(JSON.stringify(result));
})().catch((error) => { console.error(error); process.exit(1); });
`,
      withoutLibsql,
    );
    expect(out).toEqual({
      alice: '170',
      bob: '30',
      verify: { ok: true, problems: [] },
      drivers: ['pg', 'rate-limiter-flexible'],
    });
  });
});
