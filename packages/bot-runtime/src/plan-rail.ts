import { type Economy, isPlanName, type PlanEntitlement, type PlanName } from '@guildmint/sdk';
import { type APIEntitlement, DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { Logger } from 'pino';
import { concurrencyLimit } from './limit.js';

// Discord's Premium Apps as the second plan rail (Stripe is the first): a guild subscription SKU grants a
// Guildmint plan. A gateway event only says "look at this guild again": the runtime re-reads the guild's
// entitlements over REST, which is the truth, and records what it reads with `tenant.recordEntitlement`.
// A forged or replayed event therefore changes nothing that REST does not say.

/** Which Guildmint plan each guild subscription SKU grants (`DISCORD_SKU_PLANS`). */
export type SkuPlans = ReadonlyMap<string, Exclude<PlanName, 'free'>>;

/** `DISCORD_SKU_PLANS`: `<skuId>:<plan>` pairs separated by commas, e.g. `1234:pro,5678:scale`. */
export function parseSkuPlans(text: string): SkuPlans {
  const plans = new Map<string, Exclude<PlanName, 'free'>>();
  for (const pair of text.split(',').map((p) => p.trim())) {
    const match = /^(\d{1,21}):([a-z]+)$/.exec(pair);
    if (!match) throw new Error(`"${pair}" is not <sku id>:<plan> (e.g. 1234:pro)`);
    const [, sku, plan] = match as unknown as [string, string, string];
    if (!isPlanName(plan) || plan === 'free')
      throw new Error(`"${plan}" is not a paid plan (pro or scale): free needs no SKU`);
    if (plans.has(sku)) throw new Error(`SKU ${sku} is mapped twice`);
    plans.set(sku, plan);
  }
  return plans;
}

export interface EntitlementCheck {
  guildId: string;
  /** The plan in force after the check. */
  plan: PlanName;
  /** Entitlements read from Discord and recorded (unchanged ones included: the SDK skips them). */
  read: number;
}

export interface DiscordPlanRailOptions {
  rest: REST;
  applicationId: string;
  economy: Economy;
  skuPlans: SkuPlans;
  log: Logger;
  now: () => Date;
  onChecked?: (check: EntitlementCheck) => void;
}

/** Discord's page size for List Entitlements. */
const PAGE = 100;

/** What one read of Discord gave for a guild, and when it was taken (before the request went out). */
interface GuildRead {
  listed: APIEntitlement[];
  observedAt: Date;
}

/**
 * Keeps each guild's Discord entitlements recorded in its economy. Checks of one guild run one at a time,
 * and a request during a check runs one more after it (so the last read follows the last event); a check
 * that failed (Discord or the store unreachable) is retried by `retryFailed()` from the periodic job.
 */
export class DiscordPlanRail {
  private readonly again = new Set<string>();
  private readonly failed = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly limit = concurrencyLimit(4);

  constructor(private readonly o: DiscordPlanRailOptions) {}

  get enabled(): boolean {
    return this.o.skuPlans.size > 0;
  }

  /**
   * An entitlement event: re-reads its guild when its SKU grants a plan. Others (a member's consumable, a
   * user subscription) cost no REST call; a real change to a plan SKU always comes with that SKU's id.
   */
  hint(event: { guildId: string | null; skuId: string }): Promise<void> {
    return this.o.skuPlans.has(event.skuId) ? this.check(event.guildId) : Promise.resolve();
  }

  /** Re-reads the guild's entitlements (an event's hint, a retry). Never rejects. */
  check(guildId: string | null | undefined): Promise<void> {
    if (!this.enabled || !guildId || !/^\d{1,21}$/.test(guildId)) return Promise.resolve();
    return this.schedule(guildId, undefined);
  }

  /**
   * Start-up: the application's entitlements to the plan SKUs in one paged read (not one per guild: a
   * process may hold thousands of guilds, and Discord rate-limits the application), then each guild's
   * recorded from it. Never rejects; when the read fails, every guild is retried on its own later.
   */
  async checkAll(guildIds: readonly string[]): Promise<void> {
    if (!this.enabled) return;
    const observedAt = this.o.now();
    let listed: APIEntitlement[];
    try {
      listed = await this.list(null);
    } catch (error) {
      this.o.log.warn({ err: error }, 'could not read discord entitlements; retried by the periodic job');
      for (const guildId of guildIds) this.failed.add(guildId);
      return;
    }
    // Map.groupBy is not in Node 20.
    const byGuild = new Map<string, APIEntitlement[]>();
    for (const e of listed) {
      if (!e.guild_id) continue;
      const same = byGuild.get(e.guild_id);
      if (same) same.push(e);
      else byGuild.set(e.guild_id, [e]);
    }
    await Promise.all(
      guildIds.map((guildId) => this.schedule(guildId, { listed: byGuild.get(guildId) ?? [], observedAt })),
    );
  }

  retryFailed(): void {
    for (const guildId of this.failed) void this.check(guildId);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Runs the guild's checks one at a time; one asked for during a check runs after it, with a fresh read. */
  private schedule(guildId: string, read: GuildRead | undefined): Promise<void> {
    this.failed.delete(guildId);
    const running = this.running.get(guildId);
    if (running) {
      this.again.add(guildId);
      return running;
    }
    const run = this.drain(guildId, read);
    this.running.set(guildId, run);
    return run;
  }

  private async drain(guildId: string, first: GuildRead | undefined): Promise<void> {
    await null; // `running` is set before this can end
    let read = first;
    do {
      this.again.delete(guildId);
      const given = read;
      read = undefined;
      try {
        const check = await this.limit(() => this.reconcile(guildId, given));
        this.o.log.info({ ...check, tenant: guildId }, 'discord entitlements checked');
        this.o.onChecked?.(check);
      } catch (error) {
        this.o.log.warn(
          { guildId, tenant: guildId, err: error },
          'could not check discord entitlements; retried by the periodic job',
        );
        if (!this.again.has(guildId)) this.failed.add(guildId);
      }
    } while (this.again.has(guildId));
    this.running.delete(guildId);
  }

  /**
   * Records every entitlement Discord has for the guild's plan SKUs, and ends the ones recorded before that
   * Discord no longer lists (a test entitlement deleted for good). The observation time is taken before the
   * read, so a slower, older read can never overwrite a newer one in the store.
   */
  private async reconcile(guildId: string, given: GuildRead | undefined): Promise<EntitlementCheck> {
    const { listed, observedAt } = given ?? (await this.read(guildId));
    const tenant = this.o.economy.tenant(guildId);
    const seen = new Set<string>();
    for (const entitlement of listed) {
      const recorded = this.toPlanEntitlement(entitlement, guildId, observedAt);
      if (!recorded) continue;
      seen.add(recorded.ref);
      await tenant.recordEntitlement(recorded);
    }
    for (const stored of await tenant.entitlements()) {
      if (stored.rail !== 'discord' || stored.status === 'ended' || seen.has(stored.ref)) continue;
      await tenant.recordEntitlement({ ...stored, status: 'ended', observedAt });
    }
    return { guildId, plan: (await tenant.plan()).name, read: seen.size };
  }

  private async read(guildId: string): Promise<GuildRead> {
    const observedAt = this.o.now();
    return { listed: await this.list(guildId), observedAt };
  }

  /** Entitlements to the plan SKUs (the guild's, or the application's), deleted and ended ones included. */
  private async list(guildId: string | null): Promise<APIEntitlement[]> {
    const all: APIEntitlement[] = [];
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams({
        ...(guildId !== null && { guild_id: guildId }),
        sku_ids: [...this.o.skuPlans.keys()].join(','),
        exclude_deleted: 'false',
        limit: String(PAGE),
        ...(after !== undefined && { after }),
      });
      let page: APIEntitlement[];
      try {
        page = (await this.o.rest.get(Routes.entitlements(this.o.applicationId), {
          query,
        })) as APIEntitlement[];
      } catch (error) {
        // A guild Discord does not know has no entitlements.
        if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownGuild) return [];
        throw error;
      }
      all.push(...page);
      if (page.length < PAGE) return all;
      after = page.at(-1)!.id;
    }
  }

  /** What an entitlement means for the guild's plan; null when it grants none here (another guild, SKU). */
  private toPlanEntitlement(e: APIEntitlement, guildId: string, observedAt: Date): PlanEntitlement | null {
    const plan = this.o.skuPlans.get(e.sku_id);
    if (!plan || e.guild_id !== guildId) return null;
    const now = observedAt.getTime();
    const endsAt = e.ends_at ? new Date(e.ends_at) : null;
    const started = !e.starts_at || Date.parse(e.starts_at) <= now;
    const live = !e.deleted && started && (endsAt === null || endsAt.getTime() > now);
    return {
      rail: 'discord',
      ref: e.id,
      plan,
      status: live ? 'active' : 'ended',
      currentPeriodEnd: endsAt,
      graceUntil: null,
      observedAt,
    };
  }
}
