import { describe, expect, it } from 'vitest';
import type { LedgerOp, StoredTransfer } from '../stores/types.js';
import { plans } from './catalog.js';
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
});
