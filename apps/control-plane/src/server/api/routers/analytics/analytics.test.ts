import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trpcCode } from '../../../../../test/support/expect';
import { createHarness, type Harness, nextId, onboarded } from '../../../../../test/support/harness';
import { reportCsv } from '../../../analytics/csv';

describe('analytics router (libsql)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('libsql');
  });
  afterAll(() => h.close());

  it('reports an empty economy with empty series, not an error', async () => {
    const { tenantId, caller } = await onboarded(h);
    const report = await caller.analytics.report({ tenantId, days: 7 });
    expect(report.supply).toHaveLength(7);
    expect(report.headline).toMatchObject({ members: 0, supply: 0n, gini: 0 });
    expect(report.flows.minted).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it('reports what the economy did; its CSV carries the same numbers', async () => {
    const { tenantId, caller } = await onboarded(h);
    const alice = nextId();
    const bob = nextId();
    await caller.members.grant({
      tenantId,
      userId: alice,
      amount: 900n,
      reason: 'prize',
      key: crypto.randomUUID(),
    });
    await caller.members.grant({
      tenantId,
      userId: bob,
      amount: 100n,
      reason: 'prize',
      key: crypto.randomUUID(),
    });
    await caller.members.revoke({
      tenantId,
      userId: bob,
      amount: 40n,
      reason: 'spam',
      key: crypto.randomUUID(),
    });
    const report = await caller.analytics.report({ tenantId, days: 30 });
    expect(report.headline.supply).toBe(960n);
    expect(report.supply.at(-1)?.supply).toBe(960n);
    expect(report.flows.minted).toEqual([{ source: 'admin.grant', amount: 1_000n, shareBps: 10_000n }]);
    expect(report.flows.burned).toEqual([{ source: 'admin.revoke', amount: 40n, shareBps: 10_000n }]);
    const today = report.issuance.at(-1)!;
    expect(today).toMatchObject({ minted: 1_000n, burned: 40n, net: 960n });

    const csv = reportCsv(report, 'issuance').split('\r\n');
    expect(csv[0]).toBe('day,minted,burned,net');
    expect(csv).toContain(`${today.day},1000,40,960`);
    expect(reportCsv(report, 'supply')).toContain(`${today.day},960\r\n`);
    expect(reportCsv(report, 'flows').split('\r\n')).toEqual(
      expect.arrayContaining([`${today.day},minted,admin.grant,1000`, `${today.day},burned,admin.revoke,40`]),
    );
  });

  it('a monthly range covers the calendar month; the Free plan keeps 30 days; a custom range needs both ends', async () => {
    const { tenantId, caller } = await onboarded(h);
    const now = new Date();
    const month = now.toISOString().slice(0, 7);
    const report = await caller.analytics.report({ tenantId, month });
    expect(report.supply[0]?.day).toBe(`${month}-01`);
    expect(report.historyLimitDays).toBeNull();
    // A year back is past the Free plan's 30 days: the range keeps its month's length from the limit on.
    const old = new Date(now.getTime() - 365 * 86_400_000).toISOString().slice(0, 7);
    const cut = await caller.analytics.report({ tenantId, month: old });
    expect(cut.historyLimitDays).toBe(30);
    expect(cut.supply.length).toBeGreaterThanOrEqual(28);
    expect(await trpcCode(caller.analytics.report({ tenantId, from: '2026-02-01' }))).toBe('BAD_REQUEST');
  });

  it('refuses another guild’s owner, and an unknown tenant alike', async () => {
    const { tenantId, caller } = await onboarded(h);
    await caller.members.grant({
      tenantId,
      userId: nextId(),
      amount: 5n,
      reason: 'x',
      key: crypto.randomUUID(),
    });
    const other = await onboarded(h);
    expect(await trpcCode(other.caller.analytics.report({ tenantId }))).toBe('FORBIDDEN');
    expect(await trpcCode(other.caller.analytics.report({ tenantId: '999999999' }))).toBe('FORBIDDEN');
    expect(await trpcCode(h.caller(null).analytics.report({ tenantId }))).toBe('UNAUTHORIZED');
    // The other owner's own report shows none of this tenant's coins.
    expect((await other.caller.analytics.report({ tenantId: other.tenantId })).headline.supply).toBe(0n);
  });
});
