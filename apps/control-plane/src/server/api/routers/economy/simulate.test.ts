import { presets } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trpcCode } from '../../../../../test/support/expect';
import { createHarness, type Harness, onboarded } from '../../../../../test/support/harness';

describe('economy.simulate', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('libsql');
  });
  afterAll(() => h.close());

  it('runs a draft for 30 days on the SDK engine, without touching the real economy', async () => {
    const { tenantId, caller } = await onboarded(h, 'cozy');
    const before = await h.economy.tenant(tenantId).leaderboard({ limit: 100 });
    const result = await caller.economy.simulate({ tenantId, config: presets.cozy, members: 10 });
    expect(result.members).toBe(10);
    expect(result.days.map((d) => d.day)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(result.days.at(-1)!.supply).toBeGreaterThan(0n);
    // The supply moves by what was minted, burned and lost to games, day by day.
    let supply = 0n;
    for (const day of result.days) {
      supply += day.minted - day.burned - day.houseTake;
      expect(day.supply).toBe(supply);
    }
    // The same draft again comes from the cache: the very same numbers.
    expect(await caller.economy.simulate({ tenantId, config: presets.cozy, members: 10 })).toEqual(result);
    expect(await h.economy.tenant(tenantId).leaderboard({ limit: 100 })).toEqual(before);
  });

  it('refuses an invalid draft', async () => {
    const { tenantId, caller } = await onboarded(h, 'cozy');
    expect(
      await trpcCode(
        caller.economy.simulate({ tenantId, config: { currency: { decimals: 9 } }, members: 10 }),
      ),
    ).toBe('BAD_REQUEST');
  });
});
