import { describe, expect, it } from 'vitest';
import { STATE } from '../context/state-scopes.js';
import { ErrorCode } from '../errors.js';
import type { LedgerOp, StoredTransfer } from '../stores/types.js';
import { type Plan, plans } from './catalog.js';
import { CENSUS_TTL_MS, MemberCap } from './member-cap.js';

/** A store of `members` members that counts how often it is asked. */
function countingStore(members: number) {
  const asked: string[] = [];
  const held = { members };
  return {
    asked,
    held,
    store: {
      memberCensus: async (_tenant: string, userId: string) => {
        asked.push(userId);
        return { members: held.members, present: false };
      },
      scanState: async () => [],
    },
  };
}

const credit = (...to: string[]): LedgerOp => ({
  tenant: 't',
  batchId: null,
  transfers: to.map((account, i) => ({
    id: `c${i}`,
    from: 'faucet:f',
    to: account,
    amount: 1n,
    code: 'c',
    metadata: null,
    reverses: null,
    forced: false,
  })),
});
const committed = async (): Promise<StoredTransfer[]> => [];

describe('MemberCap', () => {
  it('counts once per TTL far from the limit, never for members it has seen', async () => {
    let now = 0;
    const { asked, store } = countingStore(10);
    const cap = new MemberCap('t', store, { now: () => new Date(now) }, async () => plans.free);
    await cap.commit(credit('user:a', 'user:b', 'user:a.bank'), committed);
    await cap.commit(credit('user:c'), committed);
    await cap.commit(credit('user:a', 'user:c.bank'), committed);
    expect(asked).toEqual(['a']);
    now += CENSUS_TTL_MS;
    await cap.commit(credit('user:d'), committed);
    expect(asked).toEqual(['a', 'd']);
  });

  it('counts every newcomer near the limit, and commits nothing beyond it', async () => {
    const limit = plans.free.limits.membersWithBalance;
    const { asked, held, store } = countingStore(limit - 2);
    const cap = new MemberCap('t', store, { now: () => new Date(0) }, async () => plans.free);
    let commits = 0;
    const counted = async (op: LedgerOp) => {
      commits += 1;
      held.members += op.transfers.length;
      return [];
    };
    await cap.commit(credit('user:a'), counted);
    await expect(cap.commit(credit('user:b', 'user:c'), counted)).rejects.toMatchObject({
      code: 'PLAN_LIMIT',
    });
    expect(asked).toEqual(['a', 'b', 'c']);
    expect(commits).toBe(1);
  });

  /** A plan source that counts its reads; `set` changes what the store holds. */
  function countingPlan(initial: Plan) {
    const plan = { current: initial, reads: 0 };
    const planOf = async () => {
      plan.reads++;
      return plan.current;
    };
    return { plan, planOf };
  }

  it('reads the plan once per TTL far from the limit, not once per newcomer', async () => {
    let now = 0;
    const { store } = countingStore(10);
    const { plan, planOf } = countingPlan(plans.scale);
    const cap = new MemberCap('t', store, { now: () => new Date(now) }, planOf);
    for (let i = 0; i < 50; i++) await cap.commit(credit(`user:n${i}`), committed);
    expect(plan.reads).toBe(1);
    now += CENSUS_TTL_MS;
    await cap.commit(credit('user:later'), committed);
    expect(plan.reads).toBe(2);
  });

  it('reads the plan afresh near the limit: an upgrade recorded elsewhere admits the next newcomer', async () => {
    const limit = plans.free.limits.membersWithBalance;
    const { held, store } = countingStore(limit - 1);
    const { plan, planOf } = countingPlan(plans.free);
    const cap = new MemberCap('t', store, { now: () => new Date(0) }, planOf);
    const counted = async (op: LedgerOp) => {
      held.members += op.transfers.length;
      return [];
    };
    await cap.commit(credit('user:a'), counted);
    await expect(cap.commit(credit('user:b'), counted)).rejects.toMatchObject({ code: 'PLAN_LIMIT' });
    plan.current = plans.scale; // another process recorded the upgrade
    await cap.commit(credit('user:b'), counted);
    expect(held.members).toBe(limit + 1);
  });

  it('drops the plan it holds once an op of this process records an entitlement', async () => {
    const { store } = countingStore(10);
    const { plan, planOf } = countingPlan(plans.scale);
    const cap = new MemberCap('t', store, { now: () => new Date(0) }, planOf);
    await cap.commit(credit('user:a'), committed);
    await cap.commit(credit('user:b'), committed);
    expect(plan.reads).toBe(1);
    await cap.commit(entitlementOp(), committed);
    await cap.commit(credit('user:c'), committed);
    expect(plan.reads).toBe(2);
  });

  it('keeps no plan read that began before this process recorded an entitlement', async () => {
    const { store } = countingStore(10);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    // The first read answers Scale only after the entitlement below (a downgrade to Free) is written.
    const planOf = async () => {
      if (++reads > 1) return plans.free;
      await held;
      return plans.scale;
    };
    const cap = new MemberCap('t', store, { now: () => new Date(0) }, planOf);
    const first = cap.commit(credit('user:a'), committed);
    await cap.commit(entitlementOp(), committed);
    release();
    await first;
    await cap.commit(credit('user:b'), committed);
    expect(reads).toBe(2); // the read from before the entitlement was not kept: the plan was read again
  });
});

/** An op that records an entitlement (what `recordEntitlement` commits). */
function entitlementOp(): LedgerOp {
  return {
    tenant: 't',
    batchId: null,
    transfers: [],
    effects: [
      {
        kind: 'set',
        scope: STATE.entitlement,
        key: 'stripe:sub_1',
        value: 1n,
        json: '{}',
        fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'raced' },
      },
    ],
  };
}
