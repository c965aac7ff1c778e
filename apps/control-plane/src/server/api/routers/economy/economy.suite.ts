import { presets } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trpcCode, trpcError } from '../../../../../test/support/expect';
import {
  createHarness,
  type Harness,
  onboarded,
  type StorageKind,
} from '../../../../../test/support/harness';

/** A plain, editable copy of a config (presets are frozen). */
const copy = <T>(value: T): T => structuredClone(value);

export function economySuite(kind: StorageKind) {
  describe(`economy editor (${kind})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(kind);
    });
    afterAll(() => h.close());

    it('publishes a changed daily reward as a new version that the SDK serves', async () => {
      const { tenantId, caller, user } = await onboarded(h, 'classic');
      const current = await caller.economy.current({ tenantId });
      expect(current.version).toBe(1);
      const draft = copy(current.config);
      draft.faucets.daily!.reward = { fixed: 275 };

      expect(await caller.economy.publish({ tenantId, config: draft, basedOn: 1 })).toEqual({ version: 2 });
      const live = await h.economy.tenant(tenantId).config();
      expect(live.version).toBe(2);
      expect(live.faucets.daily?.reward).toEqual({ fixed: 275 });
      expect((await caller.economy.history({ tenantId })).map((v) => [v.version, v.actor])).toEqual([
        [2, user.discordId],
        [1, user.discordId],
      ]);
    });

    it('reports every problem of a draft at its field path, and publishes nothing', async () => {
      const { tenantId, caller } = await onboarded(h, 'classic');
      const draft = copy(presets.classic) as unknown as Record<string, unknown> & typeof presets.classic;
      const bad = {
        ...draft,
        currency: { ...draft.currency, decimals: 9 },
        faucets: { ...draft.faucets, daily: { ...draft.faucets.daily!, reward: { fixed: -5 } } },
      };
      const preview = await caller.economy.preview({ tenantId, draft: bad });
      expect(preview.ok).toBe(false);
      const paths = preview.ok ? [] : preview.issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['currency.decimals', 'faucets.daily.reward.fixed']));

      const error = await trpcError(caller.economy.publish({ tenantId, config: bad, basedOn: 1 }));
      expect(error.code).toBe('BAD_REQUEST');
      expect((await h.economy.tenant(tenantId).config()).version).toBe(1);
    });

    it('previews emission per member and each game’s RTP', async () => {
      const { tenantId, caller } = await onboarded(h, 'classic');
      const draft = copy(presets.classic);
      const preview = await caller.economy.preview({ tenantId, draft });
      if (!preview.ok) throw new Error('classic must be valid');
      const daily = preview.preview.faucets.find((f) => f.faucet === 'daily')!;
      // 200 per claim, one claim per 20 h: at most 1.2 claims a day.
      expect(daily.meanReward).toBe(200);
      expect(daily.claimsPerDay).toBeCloseTo(1.2);
      const work = preview.preview.faucets.find((f) => f.faucet === 'work')!;
      expect(work.perMemberPerDay).toBe(65 * 8);
      expect(preview.preview.perMemberPerDay).toBeCloseTo(240 + 520);
      const coinflip = preview.preview.games.find((g) => g.game === 'coinflip')!;
      expect(coinflip.rtp).toBeCloseTo(0.98);
      expect(preview.preview.games.map((g) => g.game)).toEqual([
        'coinflip',
        'dice',
        'slots',
        'roulette',
        'blackjack',
      ]);
    });

    it('refuses to publish over a version someone else published meanwhile', async () => {
      const { tenantId, caller } = await onboarded(h, 'cozy');
      const { config } = await caller.economy.current({ tenantId });
      // Each publish changes something: a config equal to the latest one publishes nothing.
      const first = copy(config);
      first.currency.symbol = '💎';
      const second = copy(config);
      second.currency.symbol = '🔷';
      await caller.economy.publish({ tenantId, config: first, basedOn: 1 });
      const stale = await trpcError(caller.economy.publish({ tenantId, config: second, basedOn: 1 }));
      expect(stale.code).toBe('CONFLICT');
      expect(stale.message).toMatch(/published after version 1.*reload/);
      expect((await h.economy.tenant(tenantId).configHistory()).length).toBe(2);
    });

    it('lets exactly one of two editors publish when both started from the same version at once', async () => {
      const { tenantId, caller } = await onboarded(h, 'cozy');
      const { config } = await caller.economy.current({ tenantId });
      const mine = copy(config);
      mine.currency.symbol = '💎';
      const theirs = copy(config);
      theirs.currency.symbol = '🍪';
      const results = await Promise.allSettled([
        caller.economy.publish({ tenantId, config: mine, basedOn: 1 }),
        caller.economy.publish({ tenantId, config: theirs, basedOn: 1 }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: 'CONFLICT' });
      expect((await h.economy.tenant(tenantId).configHistory()).map((v) => v.version)).toEqual([2, 1]);
    });

    it('rolls back by publishing an earlier version again', async () => {
      const { tenantId, caller } = await onboarded(h, 'classic');
      const { config } = await caller.economy.current({ tenantId });
      const changed = copy(config);
      changed.currency.symbol = '💎';
      await caller.economy.publish({ tenantId, config: changed, basedOn: 1 });
      expect((await caller.economy.version({ tenantId, version: 1 })).config.currency.symbol).toBe('🪙');

      expect(await caller.economy.rollback({ tenantId, version: 1 })).toEqual({ version: 3, from: 1 });
      const live = await h.economy.tenant(tenantId).config();
      expect(live.version).toBe(3);
      expect(live.currency.symbol).toBe('🪙');
      expect(await trpcCode(caller.economy.rollback({ tenantId, version: 99 }))).toBe('NOT_FOUND');
      expect((await h.economy.tenant(tenantId).config()).version).toBe(3);
    });
  });
}
