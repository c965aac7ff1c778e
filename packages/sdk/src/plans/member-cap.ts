import { STATE } from '../context/state-scopes.js';
import { isUserAccount, walletOf } from '../ledger/accounts.js';
import type { Clock } from '../stores/clock.js';
import type { LedgerOp, Store, StoredTransfer } from '../stores/types.js';
import { withCommit } from '../stores/with-commit.js';
import type { Plan } from './catalog.js';
import { planInForce } from './entitlements.js';
import { assertWithinLimit } from './limits.js';

/** How long a member count (and the plan it is held to) read from the store is trusted while far from the limit. */
export const CENSUS_TTL_MS = 60_000;
/** Members remembered as present per tenant before the memory starts over (it is only a shortcut). */
const KNOWN_MEMBERS_MAX = 100_000;
const USER_PREFIX = 'user:'.length;

/**
 * Holds a tenant to its plan's "members with a balance": a transfer that would give a NEW member their
 * first account on a tenant at its limit is refused with PLAN_LIMIT before anything is written. Members
 * who already hold an account are never refused, so an owner over the limit after a downgrade loses
 * nothing already earned.
 *
 * Cheap on the money path: members seen here are remembered, so only a first credit to someone unseen
 * reads anything (the plan, and a count from the store). Far from the limit (headroom of a tenth of it,
 * at least 10) a count and the plan are trusted for `CENSUS_TTL_MS`, the count raised by every newcomer
 * admitted here; near it, every newcomer reads both afresh, and so does any refusal. An op that records an
 * entitlement here drops the plan at once. Bound: other processes' newcomers within one TTL, a downgrade
 * recorded by another process within one TTL, and first credits racing in the same instant near the
 * limit, may take a tenant past it by that many.
 */
export class MemberCap {
  private readonly known = new Set<string>();
  private census: { members: number; readAt: number } | undefined;
  private plan: { plan: Plan; readAt: number } | undefined;
  /** Bumped when this process writes an entitlement: a plan read begun before is not kept. */
  private planWrites = 0;

  constructor(
    private readonly tenant: string,
    private readonly store: Pick<Store, 'memberCensus' | 'scanState'>,
    private readonly clock: Clock,
    private readonly planOf: () => Promise<Plan>,
  ) {}

  /** Commit `op` once its newcomers fit the plan; remembers its recipients once committed. */
  async commit(op: LedgerOp, commit: (op: LedgerOp) => Promise<StoredTransfer[]>): Promise<StoredTransfer[]> {
    const recipients = recipientsOf(op);
    const unseen = recipients.filter((userId) => !this.known.has(userId));
    if (unseen.length > 0) await this.admit(unseen);
    const committed = await commit(op);
    // Dropped once it is written, and no read racing the write keeps the plan from before it.
    if (recordsEntitlement(op)) {
      this.plan = undefined;
      this.planWrites++;
    }
    if (this.known.size + recipients.length > KNOWN_MEMBERS_MAX) this.known.clear();
    for (const userId of recipients) this.known.add(userId);
    return committed;
  }

  private async admit(unseen: readonly string[]): Promise<void> {
    const start = this.clock.now().getTime();
    // Read at most once per admission: the count and the plan are both fresh once either must be.
    let fresh = !this.planTrusted(start);
    let plan = fresh ? await this.readPlan(start) : this.plan!.plan;
    // Newcomers of this op already admitted: not in the store's count until it commits.
    let admitted = 0;
    for (const userId of unseen) {
      const now = this.clock.now().getTime();
      if (!this.trusted(plan, now)) {
        if (!fresh) plan = await this.readPlan(now);
        fresh = true;
        const census = await this.store.memberCensus(this.tenant, userId);
        if (census.present) {
          this.known.add(userId);
          continue;
        }
        this.census = { members: census.members + admitted, readAt: now };
      }
      assertWithinLimit(plan, 'membersWithBalance', this.census!.members + 1);
      this.census!.members += 1;
      admitted += 1;
    }
  }

  /** True while the count is recent and far enough below `plan`'s limit to need no fresh look. */
  private trusted(plan: Plan, now: number): boolean {
    const limit = plan.limits.membersWithBalance;
    const margin = Math.max(10, Math.floor(limit / 10));
    return (
      this.census !== undefined &&
      now - this.census.readAt < CENSUS_TTL_MS &&
      this.planTrusted(now) &&
      limit - this.census.members > margin
    );
  }

  private planTrusted(now: number): boolean {
    return this.plan !== undefined && now - this.plan.readAt < CENSUS_TTL_MS;
  }

  private async readPlan(now: number): Promise<Plan> {
    const writes = this.planWrites;
    const plan = await this.planOf();
    if (writes === this.planWrites) this.plan = { plan, readAt: now };
    return plan;
  }
}

/** True if `op` writes an entitlement (the plan in force may change with it). */
function recordsEntitlement(op: LedgerOp): boolean {
  return op.effects?.some((effect) => effect.scope === STATE.entitlement) ?? false;
}

/** The members an op credits (a bank counts as its holder), each once. */
function recipientsOf(op: LedgerOp): string[] {
  const ids = new Set<string>();
  for (const transfer of op.transfers) {
    if (isUserAccount(transfer.to)) ids.add(walletOf(transfer.to).slice(USER_PREFIX));
  }
  return [...ids];
}

/**
 * The store as one tenant's operations see it when plans are enforced: every commit (the ledger's own
 * calls and the economy's ops alike) goes through the tenant's `MemberCap`; everything else is the store.
 */
export function withMemberCap(store: Store, tenant: string, clock: Clock): Store {
  const cap = new MemberCap(tenant, store, clock, () => planInForce(store, tenant, clock.now()));
  return withCommit(store, (op: LedgerOp) => cap.commit(op, (admitted) => store.commit(admitted)));
}
