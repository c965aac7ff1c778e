import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEconomy } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli';
import { UnbelievaBoatFake } from '../../test/support/unbelievaboat-fake';
import { openPlatformStore } from '../server/db';
import { CliError } from './keys';

/** `pnpm guildmint import …` and `export …` in process, on libSQL files and the UnbelievaBoat fake. */
describe('pnpm guildmint import / export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-cli-moving-'));
  const url = `file:${join(dir, 'platform.db')}`;
  const economyUrl = `file:${join(dir, 'economy.db')}`;
  const tenantId = '700000000000000002';
  let fake: UnbelievaBoatFake;
  let token: string | undefined;

  beforeAll(async () => {
    fake = await UnbelievaBoatFake.start();
    fake.addGuild(
      tenantId,
      Array.from({ length: 1500 }, (_, i) => ({
        user_id: `${400000000000000000n + BigInt(i)}`,
        cash: i,
        bank: 1,
      })),
    );
    const platform = openPlatformStore(url);
    await platform.migrate();
    await platform.upsertUser({ id: 'owner', name: 'Owner', image: null });
    await platform.createTenant(
      { id: tenantId, guildId: tenantId, name: 'CLI guild', ownerUserId: 'owner', preset: 'classic' },
      { userId: 'owner', role: 'owner' },
      new Date(),
    );
    await platform.close();
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function guildmint(...args: string[]) {
    return runCli(
      {
        databaseUrl: () => url,
        economyUrl: () => economyUrl,
        unbelievaBoatToken: () => token,
        unbelievaBoatUrl: fake.url,
      },
      ...args,
    );
  }
  async function total() {
    const economy = createEconomy({ storage: economyUrl });
    try {
      return (await economy.tenant(tenantId).stats()).moneySupply;
    } finally {
      await economy.close();
    }
  }

  it('imports from UnbelievaBoat with progress per page, after a dry run', async () => {
    token = undefined;
    expect((await guildmint('import', 'unbelievaboat', '--tenant', tenantId)).error).toBeInstanceOf(CliError);
    token = fake.token;
    const dry = await guildmint('import', 'unbelievaboat', '--tenant', tenantId, '--dry-run');
    expect(dry.error).toBeNull();
    expect(dry.out.at(-1)).toBe(
      'Dry run, nothing written: 1500 members read, 1500 credited (wallet 1124250, bank 1500), 0 imported before, 0 with nothing, 0 with debts left behind',
    );
    expect(await total()).toBe(0n);

    const real = await guildmint('import', 'unbelievaboat', '--tenant', tenantId);
    expect(real.error).toBeNull();
    expect(real.out[0]).toMatch(/^page 1\/2: 1000 members read, 1000 credited/);
    expect(real.out.at(-1)).toMatch(/^Imported: 1500 members read, 1500 credited/);
    expect(await total()).toBe(1124250n + 1500n);
  });

  it('refuses a bad CSV with every problem and its line, writing nothing', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'user_id,cash,bank\n1,2,3\n500000000000000001,x,0\n');
    const before = await total();
    const { error } = await guildmint('import', 'csv', '--tenant', tenantId, '--file', file);
    expect((error as Error).message).toBe(
      'the CSV file has 2 problem(s); nothing was imported\n  line 2: "1" is not a Discord user id\n  line 3: cash "x" is not a whole number of coins from 0 to 9223372036854775807',
    );
    expect(await total()).toBe(before);
  });

  it('exports balances as CSV', async () => {
    const file = join(dir, 'balances.csv');
    const { out, error } = await guildmint('export', 'balances', '--tenant', tenantId, '--out', file);
    expect(error).toBeNull();
    expect(out).toEqual([`Wrote 1500 rows to ${file}.`]);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'user_id,wallet,bank,total',
      '400000000000000000,0,1,1',
      '400000000000000001,1,1,2',
    ]);
    expect(lines).toHaveLength(1501);
  });
});
