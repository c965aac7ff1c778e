import { createEconomy } from '@guildmint/sdk';
import { type LocalClusters, localClustersAvailable, startLocalClusters } from '@guildmint/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli';
import { CliError } from './keys';
import { createProgram } from './program';

// `pnpm guildmint tenants list|move` on two PostgreSQL clusters of its own (initdb on loopback ports).

describe.skipIf(!localClustersAvailable())('pnpm guildmint tenants', () => {
  let local: LocalClusters;
  let clusters: string;

  beforeAll(async () => {
    local = await startLocalClusters(['a', 'b'], { settings: { fsync: 'off' } });
    clusters = Object.entries(local.urls)
      .map(([name, url]) => `${name}=${url}`)
      .join(';');
    const economy = createEconomy({ storage: { clusters: local.urls } });
    try {
      for (const id of ['guild_1', 'guild_2', 'guild_3']) {
        await economy.tenant(id).grant('member', 40n, { reason: 'seed', key: `seed-${id}` });
      }
    } finally {
      await economy.close();
    }
  });
  afterAll(async () => {
    await local?.stop();
  });

  function guildmint(...args: string[]) {
    return runCli({ databaseUrl: () => 'file::memory:', clusters: () => clusters }, ...args);
  }

  it('lists placements, moves a tenant online, and lists it on its new cluster', async () => {
    const before = await guildmint('tenants', 'list');
    expect(before.error).toBeNull();
    expect(before.out).toEqual(['guild_1\ta', 'guild_2\tb', 'guild_3\ta', 'a: 2 tenants, b: 1 tenant']);

    const moved = await guildmint('tenants', 'move', 'guild_1', '--to', 'b', '--grace-ms', '0');
    expect(moved.error).toBeNull();
    expect(moved.out.at(-1)).toMatch(/^moved guild_1 from a to b: writes paused [\d.]+ ms; \d+ rows copied/);

    const after = await guildmint('tenants', 'list');
    expect(after.out).toEqual(['guild_1\tb', 'guild_2\tb', 'guild_3\ta', 'a: 1 tenant, b: 2 tenants']);
    const economy = createEconomy({ storage: { clusters: local.urls } });
    try {
      expect(await economy.tenant('guild_1').balance('member')).toBe(40n);
      expect(await economy.tenant('guild_1').ledger.verify()).toEqual({ ok: true, problems: [] });
    } finally {
      await economy.close();
    }
    const again = await guildmint('tenants', 'move', 'guild_1', '--to', 'b');
    expect(again.out.at(-1)).toBe('guild_1 is on b already: nothing to move');
  });

  it('refuses an unknown cluster or tenant, and a missing GUILDMINT_CLUSTERS, changing nothing', async () => {
    const unknownCluster = await guildmint('tenants', 'move', 'guild_2', '--to', 'z');
    expect(unknownCluster.error).toBeInstanceOf(CliError);
    expect(String(unknownCluster.error)).toContain('no cluster named z');
    const unknownTenant = await guildmint('tenants', 'move', 'nobody', '--to', 'a');
    expect(String(unknownTenant.error)).toContain('not placed');
    const program = createProgram({ databaseUrl: () => 'file::memory:', out: () => {} });
    await expect(program.parseAsync(['node', 'guildmint', 'tenants', 'list'])).rejects.toThrow(
      /GUILDMINT_CLUSTERS/,
    );
    expect((await guildmint('tenants', 'list')).out).toEqual([
      'guild_1\tb',
      'guild_2\tb',
      'guild_3\ta',
      'a: 1 tenant, b: 2 tenants',
    ]);
  });
});
