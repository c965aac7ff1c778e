import { z } from 'zod';
import { toIssues } from '../config/define.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { auditEntry } from '../economy/admin.js';
import { bindKey, runKeyed, spendKey } from '../economy/keyed.js';
import { ErrorCode, ValidationError } from '../errors.js';
import type { OutboxEvent } from '../ledger/records.js';
import type { StateRow, Store } from '../stores/types.js';
import { webhookEvent } from '../webhooks/events.js';
import { PLAN_NAMES, type Plan, type PlanName, planRank, plans } from './catalog.js';

/**
 * A plan granted by a payment rail: a Stripe subscription or a Discord (Premium Apps) entitlement.
 * One model whatever the rail; the SDK keeps one per (rail, ref).
 */
export interface PlanEntitlement {
  rail: 'stripe' | 'discord';
  /** Stripe subscription id, or Discord entitlement id. */
  ref: string;
  plan: PlanName;
  status: 'active' | 'trialing' | 'past_due' | 'ended';
  currentPeriodEnd: Date | null;
  /** While past_due, the plan holds until then. */
  graceUntil: Date | null;
  /** When the provider's state was read: an older observation never overwrites a newer one. */
  observedAt: Date;
}

/** The plan in force and which entitlement grants it (null: none does, so Free). */
export interface EffectivePlan {
  name: PlanName;
  plan: Plan;
  source: Pick<PlanEntitlement, 'rail' | 'ref' | 'status' | 'graceUntil'> | null;
}

const entitlementSchema = z.strictObject({
  rail: z.enum(['stripe', 'discord']),
  ref: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be 1-100 characters of A-Z a-z 0-9 _ . -'),
  plan: z.enum(PLAN_NAMES),
  status: z.enum(['active', 'trialing', 'past_due', 'ended']),
  currentPeriodEnd: z.date().nullable(),
  graceUntil: z.date().nullable(),
  observedAt: z.date(),
});

/** As stored in `gm_state` (scope `entitlement`, key `<rail>:<ref>`; value: observedAt in ms). */
type StoredEntitlement = Omit<PlanEntitlement, 'currentPeriodEnd' | 'graceUntil' | 'observedAt'> & {
  currentPeriodEnd: string | null;
  graceUntil: string | null;
  observedAt: string;
};

/**
 * Store what a rail says about one of its entitlements (upsert by rail and ref, audit-logged) and
 * return the plan in force after it. An observation older than the one stored changes nothing, so
 * webhooks may arrive in any order. With a `key`, a retried call records nothing more.
 */
export async function recordEntitlement(
  ctx: TenantContext,
  input: PlanEntitlement,
  o: { key?: string } = {},
): Promise<EffectivePlan> {
  const entitlement = parseEntitlement(input);
  const stored = toStored(entitlement);
  const stateKey = `${entitlement.rail}:${entitlement.ref}`;
  const observedMs = BigInt(entitlement.observedAt.getTime());
  const bound = bindKey('recordEntitlement', o.key, { ...stored });
  await runKeyed(ctx, bound, {
    reads: () => [{ scope: STATE.entitlement, key: stateKey }],
    attempt: async ({ state }) => {
      const current = state(STATE.entitlement, stateKey);
      const json = JSON.stringify(stored);
      // Older than what is stored, or exactly it: nothing to record (only the key is spent).
      const stale = current !== undefined && (current.value > observedMs || current.json === json);
      // A newer observation of the same state moves observedAt on (so an older one cannot win later)
      // but is no change worth an audit entry.
      const changed = !stale && !sameState(current, stored);
      const reason = `${entitlement.plan} ${entitlement.status}`;
      const audit = auditEntry(ctx, entitlement.rail, 'plan.entitlement', stateKey, reason, { ...stored });
      const planChange = changed ? await planChangeEvent(ctx, entitlement) : null;
      await ctx.submit({
        transfers: [],
        batchId: null,
        effects: [
          spendKey(bound),
          ...(stale
            ? []
            : [
                {
                  kind: 'set' as const,
                  scope: STATE.entitlement,
                  key: stateKey,
                  value: observedMs,
                  json,
                  // A newer observation stored meanwhile wins: this attempt is re-planned against it.
                  atMost: observedMs,
                  fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'the entitlement changed meanwhile' },
                },
              ]),
        ],
        ...(changed && { audit: [audit] }),
        ...(planChange && { events: [planChange] }),
      });
    },
    replay: () => undefined,
  });
  return effectivePlanOf(await entitlementsOf(ctx), ctx.clock.now());
}

/**
 * plan.changed, when recording `next` changes the plan in force (Free → Pro, Scale → Free, …); null
 * when the plan stays. Read from the entitlements as stored now: a change to another entitlement
 * committed between this read and the write can make `from` stale (the rails rarely race on one tenant).
 */
async function planChangeEvent(ctx: TenantContext, next: PlanEntitlement): Promise<OutboxEvent | null> {
  const now = ctx.clock.now();
  const all = await entitlementsOf(ctx);
  const before = effectivePlanOf(all, now);
  const others = all.filter((e) => e.rail !== next.rail || e.ref !== next.ref);
  const after = effectivePlanOf([...others, next], now);
  if (before.name === after.name) return null;
  return webhookEvent(ctx.tenant, 'plan.changed', now, {
    from: before.name,
    to: after.name,
    rail: next.rail,
    ref: next.ref,
    status: next.status,
  });
}

/** Every entitlement stored for the tenant, whatever its status. */
export function entitlementsOf(ctx: TenantContext): Promise<PlanEntitlement[]> {
  return storedEntitlements(ctx.store, ctx.tenant);
}

/** The plan in force at `now`, read from the store alone (for checks below the tenant's operations). */
export async function planInForce(store: Pick<Store, 'scanState'>, tenant: string, now: Date): Promise<Plan> {
  return effectivePlanOf(await storedEntitlements(store, tenant), now).plan;
}

async function storedEntitlements(
  store: Pick<Store, 'scanState'>,
  tenant: string,
): Promise<PlanEntitlement[]> {
  const rows = await store.scanState(tenant, STATE.entitlement, '');
  return rows.map(fromRow);
}

/** The plan in force now. */
export async function currentPlan(ctx: TenantContext): Promise<EffectivePlan> {
  return effectivePlanOf(await entitlementsOf(ctx), ctx.clock.now());
}

/**
 * The best plan among entitlements that grant one at `now`: active or trialing, or past_due with a
 * grace period not over yet. None: Free. Between equal plans, a paid-up one is named as the source.
 */
export function effectivePlanOf(entitlements: readonly PlanEntitlement[], now: Date): EffectivePlan {
  const granting = entitlements.filter(
    (e) =>
      e.status === 'active' ||
      e.status === 'trialing' ||
      (e.status === 'past_due' && e.graceUntil !== null && e.graceUntil > now),
  );
  const best = granting.sort(
    (a, b) =>
      planRank(b.plan) - planRank(a.plan) ||
      Number(a.status === 'past_due') - Number(b.status === 'past_due') ||
      a.rail.localeCompare(b.rail) ||
      a.ref.localeCompare(b.ref),
  )[0];
  if (!best) return { name: 'free', plan: plans.free, source: null };
  const { rail, ref, status, graceUntil } = best;
  return { name: best.plan, plan: plans[best.plan], source: { rail, ref, status, graceUntil } };
}

function parseEntitlement(input: unknown): PlanEntitlement {
  const result = entitlementSchema.safeParse(input);
  if (!result.success) throw new ValidationError(ErrorCode.INVALID_INPUT, toIssues(result.error));
  for (const [field, date] of Object.entries(result.data)) {
    if (date instanceof Date && Number.isNaN(date.getTime()))
      throw new ValidationError(ErrorCode.INVALID_INPUT, [{ path: field, message: 'must be a valid date' }]);
  }
  return result.data;
}

/** Whether a stored row says the same as `next`, apart from when it was observed. */
function sameState(row: StateRow | undefined, next: StoredEntitlement): boolean {
  if (!row?.json) return false;
  const { observedAt: _was, ...before } = JSON.parse(row.json) as StoredEntitlement;
  const { observedAt: _now, ...after } = next;
  return JSON.stringify(before) === JSON.stringify(after);
}

function toStored(e: PlanEntitlement): StoredEntitlement {
  return {
    rail: e.rail,
    ref: e.ref,
    plan: e.plan,
    status: e.status,
    currentPeriodEnd: e.currentPeriodEnd?.toISOString() ?? null,
    graceUntil: e.graceUntil?.toISOString() ?? null,
    observedAt: e.observedAt.toISOString(),
  };
}

function fromRow(row: StateRow): PlanEntitlement {
  const s = JSON.parse(row.json ?? '{}') as StoredEntitlement;
  const date = (iso: string | null) => (iso === null ? null : new Date(iso));
  return {
    rail: s.rail,
    ref: s.ref,
    plan: s.plan,
    status: s.status,
    currentPeriodEnd: date(s.currentPeriodEnd),
    graceUntil: date(s.graceUntil),
    observedAt: new Date(s.observedAt),
  };
}
