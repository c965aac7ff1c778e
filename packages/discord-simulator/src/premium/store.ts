import { EntitlementType, SKUFlags, SKUType } from 'discord-api-types/v10';
import { SimulatorError, SimulatorErrorCode } from '../errors.js';
import type { SnowflakeGenerator } from '../snowflake.js';

// Premium Apps: the application's SKUs and the entitlements members hold to them. Discord's rules as
// its monetization docs state them (since the 2024 entitlement migration): a subscription's entitlement
// starts with no `ends_at`, renewals and cancellations do not touch it (no entitlement event), the period
// running out after a cancellation sets `ends_at` (ENTITLEMENT_UPDATE), and a refund or a deleted test
// entitlement marks it `deleted` (ENTITLEMENT_DELETE).

/** What a SKU sells: a subscription for a whole guild or for one user, or a one-time purchase. */
export type SkuKind = 'guild-subscription' | 'user-subscription' | 'durable' | 'consumable';

export interface SkuRecord {
  id: string;
  name: string;
  slug: string;
  kind: SkuKind;
  type: SKUType;
  flags: number;
}

export interface EntitlementRecord {
  id: string;
  skuId: string;
  /** The buyer (absent on a guild's test entitlement). */
  userId: string | null;
  /** The guild that holds it: guild subscriptions only. */
  guildId: string | null;
  type: EntitlementType;
  /** Created with Create Test Entitlement: no dates, deletable over REST. */
  test: boolean;
  deleted: boolean;
  consumed: boolean;
  startsAt: number | null;
  endsAt: number | null;
  /** Subscriptions: the billing period and whether the buyer cancelled (it then ends at the period's end). */
  subscription: { periodEnd: number; cancelled: boolean } | null;
}

export type EntitlementChange = 'create' | 'update' | 'delete';

/** Discord's billing period for app subscriptions: a month; 30 days on the simulator's clock. */
export const SUBSCRIPTION_PERIOD_MS = 30 * 24 * 60 * 60 * 1000;

const SKU_SHAPES: Record<SkuKind, { type: SKUType; flags: number }> = {
  'guild-subscription': { type: SKUType.Subscription, flags: SKUFlags.GuildSubscription },
  'user-subscription': { type: SKUType.Subscription, flags: SKUFlags.UserSubscription },
  durable: { type: SKUType.Durable, flags: 0 },
  consumable: { type: SKUType.Consumable, flags: 0 },
};

export interface PremiumOptions {
  ids: SnowflakeGenerator;
  now: () => number;
  /** Every entitlement change, for the gateway (ENTITLEMENT_CREATE/UPDATE/DELETE). */
  onChange: (change: EntitlementChange, entitlement: EntitlementRecord) => void;
}

export interface EntitlementQuery {
  userId?: string | undefined;
  guildId?: string | undefined;
  skuIds?: string[] | undefined;
  before?: string | undefined;
  after?: string | undefined;
  limit?: number | undefined;
  excludeEnded?: boolean | undefined;
  excludeDeleted?: boolean | undefined;
}

export class PremiumStore {
  private readonly skus = new Map<string, SkuRecord>();
  private readonly entitlements = new Map<string, EntitlementRecord>();

  constructor(private readonly options: PremiumOptions) {}

  addSku(sku: {
    id?: string | undefined;
    name: string;
    kind: SkuKind;
    available?: boolean | undefined;
  }): SkuRecord {
    const shape = SKU_SHAPES[sku.kind];
    const record: SkuRecord = {
      id: sku.id ?? this.options.ids.next(),
      name: sku.name,
      slug: sku.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, ''),
      kind: sku.kind,
      type: shape.type,
      flags: shape.flags | (sku.available === false ? 0 : SKUFlags.Available),
    };
    this.skus.set(record.id, record);
    return record;
  }

  listSkus(): SkuRecord[] {
    return [...this.skus.values()];
  }

  sku(id: string): SkuRecord | undefined {
    return this.skus.get(id);
  }

  entitlement(id: string): EntitlementRecord | undefined {
    return this.entitlements.get(id);
  }

  /** A member buys a SKU in Discord's store (the app's purchase button): a live entitlement, and its event. */
  purchase(o: { guildId: string; userId: string; skuId: string }): EntitlementRecord {
    const sku = this.requireSku(o.skuId);
    if ((sku.flags & SKUFlags.Available) === 0)
      throw new SimulatorError(
        SimulatorErrorCode.INVALID_ARGUMENT,
        `SKU ${sku.id} is not available for purchase`,
      );
    const guildId = sku.kind === 'guild-subscription' ? o.guildId : null;
    if (this.holding(sku.id, guildId, guildId ? null : o.userId))
      throw new SimulatorError(
        SimulatorErrorCode.INVALID_ARGUMENT,
        `${guildId ? `guild ${guildId}` : `user ${o.userId}`} already holds SKU ${sku.id}`,
      );
    const now = this.options.now();
    const subscribes = sku.type === SKUType.Subscription;
    return this.create({
      skuId: sku.id,
      userId: o.userId,
      guildId,
      type: subscribes ? EntitlementType.ApplicationSubscription : EntitlementType.Purchase,
      test: false,
      startsAt: now,
      subscription: subscribes ? { periodEnd: now + SUBSCRIPTION_PERIOD_MS, cancelled: false } : null,
    });
  }

  /** Create Test Entitlement: valid in perpetuity, no dates. Null when the owner already holds the SKU. */
  createTest(o: { skuId: string; ownerId: string; owner: 'guild' | 'user' }): EntitlementRecord | null {
    const guildId = o.owner === 'guild' ? o.ownerId : null;
    const userId = o.owner === 'user' ? o.ownerId : null;
    if (this.holding(o.skuId, guildId, userId)) return null;
    return this.create({
      skuId: o.skuId,
      userId,
      guildId,
      type: EntitlementType.TestModePurchase,
      test: true,
      startsAt: null,
      subscription: null,
    });
  }

  /** A new billing period: the entitlement is unchanged and Discord sends no entitlement event. */
  renew(id: string): EntitlementRecord {
    const record = this.requireSubscription(id);
    if (record.subscription.cancelled || record.endsAt !== null)
      throw new SimulatorError(SimulatorErrorCode.INVALID_ARGUMENT, `subscription ${id} was cancelled`);
    record.subscription.periodEnd += SUBSCRIPTION_PERIOD_MS;
    return record;
  }

  /** The buyer cancels: access lasts until the period's end, the entitlement is unchanged (no event). */
  cancel(id: string): EntitlementRecord {
    const record = this.requireSubscription(id);
    record.subscription.cancelled = true;
    return record;
  }

  /** The subscription ends now (its period ran out after a cancellation): `ends_at` set, ENTITLEMENT_UPDATE. */
  end(id: string): EntitlementRecord {
    const record = this.requireSubscription(id);
    if (record.endsAt !== null || record.deleted) return record;
    record.endsAt = this.options.now();
    record.subscription.cancelled = true;
    this.options.onChange('update', record);
    return record;
  }

  /** A refund, a chargeback or a deleted test entitlement: `deleted`, ENTITLEMENT_DELETE. False when it already was. */
  delete(id: string): boolean {
    const record = this.requireEntitlement(id);
    if (record.deleted) return false;
    record.deleted = true;
    this.options.onChange('delete', record);
    return true;
  }

  /** Marks a consumable's entitlement used. False when the SKU is not consumable. */
  consume(id: string): boolean {
    const record = this.requireEntitlement(id);
    if (this.skus.get(record.skuId)?.kind !== 'consumable') return false;
    record.consumed = true;
    return true;
  }

  /** List Entitlements: ascending ids, Discord's filters and defaults (deleted ones left out, ended ones kept). */
  list(q: EntitlementQuery): EntitlementRecord[] {
    const now = this.options.now();
    const skus = q.skuIds && q.skuIds.length > 0 ? new Set(q.skuIds) : null;
    const matching = [...this.entitlements.values()]
      .filter(
        (e) =>
          (q.userId === undefined || e.userId === q.userId) &&
          (q.guildId === undefined || e.guildId === q.guildId) &&
          (skus === null || skus.has(e.skuId)) &&
          (q.after === undefined || BigInt(e.id) > BigInt(q.after)) &&
          (q.before === undefined || BigInt(e.id) < BigInt(q.before)) &&
          !((q.excludeDeleted ?? true) && e.deleted) &&
          !(q.excludeEnded && e.endsAt !== null && e.endsAt <= now),
      )
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const limit = q.limit ?? 100;
    // `before` pages backwards: the entitlements just before it.
    return q.before !== undefined && q.after === undefined
      ? matching.slice(-limit)
      : matching.slice(0, limit);
  }

  /** The entitlements an interaction carries: live ones of the guild and of the member. */
  applying(guildId: string, userId: string): EntitlementRecord[] {
    return [...this.entitlements.values()].filter(
      (e) => this.isLive(e) && (e.guildId === guildId || (e.guildId === null && e.userId === userId)),
    );
  }

  isLive(e: EntitlementRecord): boolean {
    const now = this.options.now();
    return (
      !e.deleted &&
      !e.consumed &&
      (e.startsAt === null || e.startsAt <= now) &&
      (e.endsAt === null || e.endsAt > now)
    );
  }

  private holding(skuId: string, guildId: string | null, userId: string | null): boolean {
    return [...this.entitlements.values()].some(
      (e) =>
        e.skuId === skuId &&
        this.isLive(e) &&
        (guildId !== null ? e.guildId === guildId : e.guildId === null && e.userId === userId),
    );
  }

  private create(init: Omit<EntitlementRecord, 'id' | 'deleted' | 'consumed' | 'endsAt'>): EntitlementRecord {
    const record: EntitlementRecord = {
      id: this.options.ids.next(),
      deleted: false,
      consumed: false,
      endsAt: null,
      ...init,
    };
    this.entitlements.set(record.id, record);
    this.options.onChange('create', record);
    return record;
  }

  private requireSku(id: string): SkuRecord {
    const sku = this.skus.get(id);
    if (!sku) throw new SimulatorError(SimulatorErrorCode.UNKNOWN_SKU, `no SKU ${id}`);
    return sku;
  }

  private requireEntitlement(id: string): EntitlementRecord {
    const record = this.entitlements.get(id);
    if (!record) throw new SimulatorError(SimulatorErrorCode.UNKNOWN_ENTITLEMENT, `no entitlement ${id}`);
    return record;
  }

  private requireSubscription(
    id: string,
  ): EntitlementRecord & { subscription: NonNullable<EntitlementRecord['subscription']> } {
    const record = this.requireEntitlement(id);
    if (!record.subscription)
      throw new SimulatorError(
        SimulatorErrorCode.INVALID_ARGUMENT,
        `entitlement ${id} is not a subscription`,
      );
    return record as EntitlementRecord & { subscription: NonNullable<EntitlementRecord['subscription']> };
  }
}
