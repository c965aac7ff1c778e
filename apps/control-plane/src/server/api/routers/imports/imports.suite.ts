import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trpcCode, trpcError } from '../../../../../test/support/expect';
import {
  createHarness,
  guild,
  type Harness,
  onboarded,
  type StorageKind,
} from '../../../../../test/support/harness';
import { UnbelievaBoatFake } from '../../../../../test/support/unbelievaboat-fake';
import { BALANCES_HEADER, HISTORY_HEADER } from '../../../import/export';
import { handleExport } from '../../../import/export-route';
import { importJobs } from '../../../import/jobs';

const CSV = 'user_id,cash,bank\n300000000000000001,100,50\n300000000000000002,0,7\n';

/** The imports procedures, run per storage kind (imports.test.ts, routers.postgres.integration.test.ts). */
export function importsSuite(kind: StorageKind): void {
  describe(`imports router: the owner moves balances in and out (${kind})`, () => {
    let h: Harness;
    let fake: UnbelievaBoatFake;

    beforeAll(async () => {
      h = await createHarness(kind);
      fake = await UnbelievaBoatFake.start();
      h.services.unbelievaBoatUrl = fake.url;
    });
    afterAll(async () => {
      await fake?.close();
      await h?.close();
    });

    async function snapshot(tenantId: string) {
      const t = h.economy.tenant(tenantId);
      return {
        board: await t.leaderboard({ by: 'total', limit: 100 }),
        audit: (await t.auditLog({ limit: 500 })).length,
      };
    }

    it('dry run, then start, then progress: UnbelievaBoat for this guild', async () => {
      const { tenantId, caller } = await onboarded(h);
      fake.addGuild(tenantId, [
        { user_id: '300000000000000011', cash: 500, bank: 20 },
        { user_id: '300000000000000012', cash: -5, bank: 80 },
      ]);
      const source = { kind: 'unbelievaboat' as const, token: fake.token };
      const before = await snapshot(tenantId);
      expect(await caller.imports.dryRun({ tenantId, source })).toMatchObject({
        members: 2,
        negatives: 1,
        wallet: 500n,
        bank: 100n,
        previous: null,
      });
      expect(await snapshot(tenantId)).toEqual(before);

      expect(await caller.imports.start({ tenantId, source })).toEqual({ started: true });
      await importJobs.settled(tenantId);
      const status = await caller.imports.status({ tenantId });
      expect(status.job).toMatchObject({
        state: 'done',
        error: null,
        totals: { credited: 2, wallet: 500n, bank: 100n },
      });
      expect(status.runs).toMatchObject([{ source: 'unbelievaboat', ref: tenantId, status: 'done' }]);
      expect(await h.economy.tenant(tenantId).holdings('300000000000000012')).toEqual({
        wallet: 0n,
        bank: 80n,
        total: 80n,
      });

      // Started again: every member's credit is spent, nothing changes; the dry run names the earlier run.
      const after = await snapshot(tenantId);
      expect((await caller.imports.dryRun({ tenantId, source })).previous).toMatchObject({ status: 'done' });
      await caller.imports.start({ tenantId, source });
      await importJobs.settled(tenantId);
      expect((await caller.imports.status({ tenantId })).job).toMatchObject({
        state: 'done',
        totals: { credited: 0, alreadyImported: 2 },
      });
      expect(await snapshot(tenantId)).toEqual(after);
    });

    it('says why a token or a file is refused, and writes nothing', async () => {
      const { tenantId, caller } = await onboarded(h);
      fake.addGuild(tenantId, []);
      const before = await snapshot(tenantId);
      const bad = await trpcError(
        caller.imports.dryRun({ tenantId, source: { kind: 'unbelievaboat', token: 'nope' } }),
      );
      expect([bad.code, bad.message]).toEqual([
        'UNAUTHORIZED',
        expect.stringContaining('UnbelievaBoat refused the API token'),
      ]);
      const csv = await trpcError(
        caller.imports.start({ tenantId, source: { kind: 'csv', text: 'user_id,cash,bank\nbob,1,1\n' } }),
      );
      expect([csv.code, csv.message]).toEqual([
        'BAD_REQUEST',
        expect.stringContaining('line 2: "bob" is not a Discord user id'),
      ]);
      expect(await snapshot(tenantId)).toEqual(before);
    });

    it('refuses a manager and another guild’s owner, changing nothing', async () => {
      const { tenantId, caller } = await onboarded(h);
      const manager = h.caller(await h.user('Manager', [guild('Managed', { id: tenantId, owner: false })]));
      const stranger = (await onboarded(h)).caller;
      const before = await snapshot(tenantId);
      for (const other of [manager, stranger]) {
        const source = { kind: 'csv' as const, text: CSV };
        expect(await trpcCode(other.imports.dryRun({ tenantId, source }))).toBe('FORBIDDEN');
        expect(await trpcCode(other.imports.start({ tenantId, source }))).toBe('FORBIDDEN');
        expect(await trpcCode(other.imports.status({ tenantId }))).toBe('FORBIDDEN');
        expect(await trpcCode(other.imports.exportAccess({ tenantId }))).toBe('FORBIDDEN');
      }
      expect(await snapshot(tenantId)).toEqual(before);
      expect(await caller.imports.exportAccess({ tenantId })).toEqual({ ok: true });
    });

    it('exports balances and history as CSV to the owner only', async () => {
      const { tenantId, user } = await onboarded(h);
      const caller = h.caller(user);
      await caller.imports.start({ tenantId, source: { kind: 'csv', text: CSV } });
      await importJobs.settled(tenantId);
      const t = h.economy.tenant(tenantId);
      await t.deposit('300000000000000001', 30n);
      const ctx = (u: typeof user | null) => ({ session: u ? { user: u } : null, services: h.services });

      const balances = await handleExport(ctx(user), tenantId, 'balances');
      expect(balances.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(await balances.text()).toBe(
        `${BALANCES_HEADER}\n300000000000000001,70,80,150\n300000000000000002,0,7,7\n`,
      );
      const history = (await (await handleExport(ctx(user), tenantId, 'history')).text())
        .trimEnd()
        .split('\n');
      expect(history[0]).toBe(HISTORY_HEADER);
      const rows = history.slice(1).map((line) => line.split(',').slice(2, 6).join(' '));
      // Newest first: the deposit, then the three import credits.
      expect(rows[0]).toBe('user:300000000000000001 user:300000000000000001.bank 30 bank.deposit');
      expect(rows.slice(1).sort()).toEqual([
        'faucet:import user:300000000000000001 100 faucet.import',
        'faucet:import user:300000000000000001.bank 50 faucet.import',
        'faucet:import user:300000000000000002.bank 7 faucet.import',
      ]);

      const stranger = await onboarded(h);
      expect((await handleExport(ctx(stranger.user), tenantId, 'balances')).status).toBe(403);
      expect((await handleExport(ctx(null), tenantId, 'history')).status).toBe(401);
      expect((await handleExport(ctx(user), tenantId, 'secrets')).status).toBe(404);
    });
  });
}
