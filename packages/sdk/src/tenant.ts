import { type AnomalyScan, scanAnomalies } from './abuse/anomalies.js';
import { type Analytics, tenantAnalytics } from './analytics/analytics.js';
import type { Cache } from './cache.js';
import type { EconomyConfig, EconomyConfigInput, GameName } from './config/schema.js';
import { KnownRows } from './context/known-rows.js';
import type { MemberContext } from './context/member-account.js';
import type { ActiveConfig, TenantContext } from './context/tenant-context.js';
import * as admin from './economy/admin.js';
import * as bank from './economy/bank.js';
import { ConfigVersions } from './economy/config-versions.js';
import { type ClaimOptions, type ClaimResult, claim } from './economy/faucets.js';
import * as games from './economy/games.js';
import { type ImportBalanceInput, type ImportReceipt, importBalance } from './economy/imports.js';
import * as items from './economy/items.js';
import { createLevels, type Levels } from './economy/levels.js';
import * as logCursor from './economy/log-cursor.js';
import { createLottery, type Lottery } from './economy/lottery.js';
import * as members from './economy/members.js';
import { type PayInput, pay } from './economy/pay.js';
import * as bot from './economy/presence.js';
import { type Profile, type ProfileOptions, profile } from './economy/profile.js';
import type { Receipt } from './economy/receipt.js';
import { type RobberyInput, type RobberyResult, rob, robbery } from './economy/robbery.js';
import { type CollectResult, collect } from './economy/role-income.js';
import * as shop from './economy/shop.js';
import * as trades from './economy/trades.js';
import type { SeedSource } from './games/fairness.js';
import type { GameAction } from './games/types.js';
import { type Ledger, TenantLedger, UNGATED } from './ledger/ledger.js';
import type { Lifecycle } from './lifecycle.js';
import {
  currentPlan,
  type EffectivePlan,
  entitlementsOf,
  type PlanEntitlement,
  recordEntitlement,
} from './plans/entitlements.js';
import { assertConfigFits } from './plans/limits.js';
import { type AutoBalanceResult, runAutoBalancer } from './policy/autobalance.js';
import { computeStats, type EconomyStats } from './policy/stats.js';
import * as profiles from './profiles/profiles.js';
import type { RandomSource } from './random.js';
import type { Clock } from './stores/clock.js';
import type { AuditCursor, Store } from './stores/types.js';
import { withCommit } from './stores/with-commit.js';
import type { StreakView } from './streaks/index.js';
import { assertTenantId } from './tenant-id.js';
import type { Trade } from './trades/record.js';

/**
 * One economy, usually one Discord guild. Every operation goes through a tenant handle.
 *
 * Keys: every write takes an optional `key`, its idempotency key. A retry with the same key and the same
 * request answers the first call's result (`replayed: true`) and moves nothing more; the same key with a
 * different request is IDEMPOTENCY_CONFLICT. Use something that names the request once: the Discord
 * interaction id, or an id made before the first attempt. Without a key the SDK makes one per call, so
 * a retry after a timeout may apply twice.
 *
 * Errors: every refusal is a `GuildmintError` with a stable `code` and nothing changed. Every write may
 * also throw INVALID_INPUT (a bad argument, naming it), ACCOUNT_FROZEN, IDEMPOTENCY_CONFLICT,
 * RATE_LIMITED (the member's `policy.rateLimit.perMemberPerMinute`, counted on the real clock: see the
 * README's "Testing your bot") and STORE_UNAVAILABLE. Member ids are Discord ids (`'42'`), never
 * account names (`'user:42'`: INVALID_ACCOUNT).
 */
export interface Tenant {
  readonly id: string;
  /** The double-entry ledger under the economy: balances of any account, transfers, verification. */
  readonly ledger: Ledger;
  /**
   * Publish a new config version (validated; CONFIG_INVALID lists every problem). Takes the config as
   * you write it (`EconomyConfigInput`: defaults may be left out). A `version` key, as `config()`
   * returns it, is ignored, so an earlier version can be published again (rollback). A config equal to
   * the latest version publishes nothing and answers that version.
   * `basedOn`: the version this config was edited from; if another was published since, nothing is
   * published and CONCURRENT_UPDATE says so (a compare-and-set, safe across processes).
   * Throws PLAN_LIMIT when plans are enforced and the config needs a larger plan.
   * @example
   * const current = await tenant.config();
   * await tenant.configure({ ...current, currency: { ...current.currency, symbol: '🪙' } }, { basedOn: current.version });
   */
  configure(
    config: EconomyConfigInput & { version?: number },
    o?: { actor?: string; basedOn?: number },
  ): Promise<{ version: number }>;
  /** The config in force, with its version (0: the `classic` preset, before any publish). */
  config(): Promise<EconomyConfig & { version: number }>;
  /** Every published version, newest first. */
  configHistory(): Promise<Array<{ version: number; actor: string | null; createdAt: Date }>>;
  /** A past version, e.g. to roll back by publishing it again. NOT_FOUND when there is none. */
  configVersion(version: number): Promise<EconomyConfig & { version: number }>;
  /** Forget the cached config (another process published). */
  reloadConfig(): void;
  /**
   * A member's wallet balance in minor units (0n for a member never seen). Pass the Discord id;
   * `'user:42'` is INVALID_ACCOUNT, and `'42.bank'` is refused (see `holdings` for the bank).
   * @example
   * const coins = await tenant.balance(interaction.user.id); // 1500n
   */
  balance(userId: string): Promise<bigint>;
  /**
   * One member pays another `amount`; the transfer tax and flat fee are paid by the sender on top (to
   * `sink:tax`, `sink:fees`), all in one atomic batch. Throws INSUFFICIENT_FUNDS, INVALID_AMOUNT (not a
   * positive bigint, or below `sinks.minTransfer`), INVALID_TRANSFER (paying yourself), ACCOUNT_FROZEN.
   * @example
   * const receipt = await tenant.pay({ from: '1', to: '2', amount: 500n, key: interaction.id });
   * console.log(receipt.amount, receipt.tax, receipt.fee);
   */
  pay(i: PayInput): Promise<Receipt>;
  /**
   * Claim a faucet (`daily`, `weekly`, `work` in the presets) for a member: the reward, streak bonus and
   * event multiplier, minted from `faucet:<name>`. Throws NOT_FOUND (no such faucet), COOLDOWN (a
   * `RetryLaterError` with `retryAt`), NOT_ELIGIBLE (roles, membership age: pass `o.member`),
   * LIMIT_REACHED, BUDGET_EXHAUSTED.
   * @example
   * const r = await tenant.claim('daily', userId, { key: interaction.id });
   * reply(`+${r.amount}, next at ${r.nextClaimAt.toISOString()}`);
   */
  claim(faucet: string, userId: string, o?: ClaimOptions): Promise<ClaimResult>;
  /**
   * Buy `quantity` (default 1) of a shop item: the payment to `sink:shop`, the stock, the member's
   * limit and the inventory change together. Throws NOT_FOUND (no such item), INSUFFICIENT_FUNDS,
   * OUT_OF_STOCK, LIMIT_REACHED.
   * @example
   * const r = await tenant.buy(userId, 'lootbox', { quantity: 2, key: interaction.id });
   * console.log(r.amount); // what it cost
   */
  buy(userId: string, item: string, o?: { quantity?: number; key?: string }): Promise<shop.PurchaseReceipt>;
  /**
   * The items a member holds, with their quantities.
   * @example
   * for (const { item, quantity } of await tenant.inventory(userId)) console.log(item, quantity);
   */
  inventory(userId: string): Promise<shop.InventoryEntry[]>;
  /**
   * Use up one consumable item; returns how many are left. With a `key`, a retried call uses nothing
   * more and answers `replayed: true`. Throws NOT_FOUND (no such item, or none left), INVALID_INPUT (not
   * consumable).
   * @example
   * const { remaining } = await tenant.use(userId, 'xp-boost', { key: interaction.id });
   */
  use(userId: string, item: string, o?: { key?: string }): Promise<{ remaining: number; replayed: boolean }>;
  /**
   * Units sold and left of every shop item, unlimited ones included (left null: unlimited).
   * @example
   * const { lootbox } = await tenant.stock(); // { sold: 3, left: 97 }
   */
  stock(): Promise<Record<string, { sold: number; left: number | null }>>;
  /**
   * Play a round of a built-in game: the bet, then the game's choices, typed per game (`side` for
   * coinflip, `target` and `direction` for dice, `on` for roulette, nothing for slots and blackjack).
   * The result's `outcome` is typed by `game`. Throws NOT_FOUND (game off), INVALID_INPUT (a choice,
   * or a bet outside minBet..maxBet), INSUFFICIENT_FUNDS, LIMIT_REACHED (a blackjack round still open).
   * @example
   * const r = await tenant.play('coinflip', userId, { bet: 100n, side: 'heads', key: interaction.id });
   * if (r.outcome.win) reply(`won ${r.payout}`);
   */
  play<G extends GameName>(game: G, userId: string, input: games.PlayInput<G>): Promise<games.PlayResult<G>>;
  /**
   * Continue an unfinished blackjack round as its player (`o.userId`): `hit`, `stand` or `double`.
   * Throws FORBIDDEN (another member's round), NOT_FOUND, INVALID_INPUT (finished, or an action not in
   * `outcome.options`), INSUFFICIENT_FUNDS (a double).
   * @example
   * let r = await tenant.play('blackjack', userId, { bet: 100n });
   * if (!r.finished) r = await tenant.act(r.roundId, 'stand', { userId, key: interaction.id });
   */
  act(roundId: string, action: GameAction, o: games.ActOptions): Promise<games.PlayResult<'blackjack'>>;
  /**
   * A round as its player last saw it, with who played it: to show or verify it later (NOT_FOUND).
   * @example
   * const r = await tenant.round(roundId);
   * const ok = verifyRound(r, revealedServerSeed);
   */
  round(roundId: string): Promise<games.PlayResult & { userId: string }>;
  /**
   * The member's committed server seed hash, client seed and next nonce.
   * Throws INVALID_INPUT for a bad member id.
   * @example
   * const { serverSeedHash, nonce } = await tenant.fairness(userId);
   * reply(`next round: nonce ${nonce}, committed to ${serverSeedHash}`);
   */
  fairness(userId: string): Promise<{ serverSeedHash: string; clientSeed: string; nonce: number }>;
  /**
   * Reveal the server seed (to verify past rounds) and commit to a new one.
   * Throws LIMIT_REACHED while a blackjack round is open (the seed would give its cards away).
   * @example
   * const { revealedServerSeed } = await tenant.rotateSeed(userId);
   * console.log(verifyRound(await tenant.round(roundId), revealedServerSeed));
   */
  rotateSeed(
    userId: string,
    o?: { clientSeed?: string },
  ): Promise<{
    revealedServerSeed: string;
    next: { serverSeedHash: string; clientSeed: string; nonce: number };
  }>;
  /**
   * Stand every unfinished round past its timeout; returns how many (run it periodically).
   * @example
   * setInterval(() => void tenant.settleExpiredRounds(), 60_000);
   */
  settleExpiredRounds(): Promise<number>;
  /**
   * A member's streak (`name`: a faucet with a streak, default `daily`): current run, longest, freezes.
   * @example
   * const { current, longest } = await tenant.streak(userId);
   */
  streak(userId: string, name?: string): Promise<StreakView & { name: string }>;
  /**
   * The richest members by wallet (default), bank or total (wallet + bank), largest first, ties by id;
   * `limit` 1–100 (default 10).
   * @example
   * const top = await tenant.leaderboard({ limit: 5, by: 'total' });
   * top.forEach((row, i) => console.log(i + 1, row.userId, row.balance));
   */
  leaderboard(o?: { limit?: number; by?: members.LeaderboardOrder }): Promise<members.LeaderboardRow[]>;
  /**
   * A member's wallet, bank and both together.
   * @example
   * const { wallet, bank, total } = await tenant.holdings(userId);
   */
  holdings(userId: string): Promise<bank.Holdings>;
  /**
   * Wallet → bank (when the bank is on); interest due is paid into the bank in the same batch.
   * Throws NOT_FOUND (bank off), INSUFFICIENT_FUNDS, LIMIT_REACHED (over the bank's cap). With a `key`, a retry moves nothing more.
   * @example
   * await tenant.deposit(userId, 500n, { key: interaction.id });
   */
  deposit(userId: string, amount: bigint, o?: { key?: string }): Promise<bank.BankReceipt>;
  /**
   * Bank → wallet; interest due is paid first.
   * Throws NOT_FOUND (bank off), INSUFFICIENT_FUNDS. With a `key`, a retry moves nothing more.
   * @example
   * await tenant.withdraw(userId, 200n, { key: interaction.id });
   */
  withdraw(userId: string, amount: bigint, o?: { key?: string }): Promise<bank.BankReceipt>;
  /**
   * Try to take part of another member's wallet (robbery must be on); decided provably fairly.
   * Throws NOT_FOUND (robbery off), COOLDOWN, NOT_ELIGIBLE (the robber or the target does not qualify: a frozen or empty wallet, too little to risk; the message says which).
   * @example
   * const r = await tenant.rob(robberId, targetId, { key: interaction.id });
   * reply(r.outcome.success ? `took ${r.outcome.amount}` : 'caught!');
   */
  rob(robberId: string, targetId: string, o?: RobberyInput): Promise<RobberyResult>;
  /**
   * A robbery by its id, to show or verify (`verifyRobbery`).
   * NOT_FOUND when there is none.
   * @example
   * const r = await tenant.robbery(robberyId);
   */
  robbery(id: string): Promise<RobberyResult>;
  /**
   * Collect the role income due for the roles the member holds (`member.roles`), once per day or week.
   * Throws NOT_FOUND (role income off), COOLDOWN (collected this period), NOT_ELIGIBLE (no paying role), BUDGET_EXHAUSTED.
   * @example
   * const r = await tenant.collect(userId, { member: { roles: [...member.roles.cache.keys()] }, key: interaction.id });
   */
  collect(userId: string, o?: { member?: MemberContext; key?: string }): Promise<CollectResult>;
  /**
   * Give items to another member (when gifts are on).
   * Throws NOT_FOUND (gifts off, no such item, or not that many held), LIMIT_REACHED (their inventory is full), INVALID_TRANSFER (to yourself).
   * @example
   * await tenant.gift({ from: userId, to: friendId, item: 'cookie', quantity: 2, key: interaction.id });
   */
  gift(input: {
    from: string;
    to: string;
    item: string;
    quantity?: number;
    key?: string;
  }): Promise<items.GiftResult>;
  /**
   * Sell items back to the shop at `shop.sellBackBps` of their price.
   * Throws NOT_FOUND (buyback off, no such item, or not that many held).
   * @example
   * const r = await tenant.sell(userId, 'trophy', { key: interaction.id });
   * reply(`sold for ${r.amount}`);
   */
  sell(
    userId: string,
    item: string,
    o?: { quantity?: number; key?: string },
  ): Promise<Receipt & { item: string; quantity: number }>;
  /**
   * Propose a trade (when trades are on): the proposer's side goes into escrow until accepted or called off.
   * Throws NOT_FOUND (trades off, or items the proposer lacks), INSUFFICIENT_FUNDS (coins), INVALID_TRANSFER (with yourself).
   * @example
   * const trade = await tenant.proposeTrade({ from: a, to: b, give: { coins: 100n }, take: { items: { cookie: 1 } }, key: interaction.id });
   * reply(`trade ${trade.id} waits for <@${b}>`);
   */
  proposeTrade(input: trades.ProposeTradeInput): Promise<trades.TradeResult>;
  /**
   * The member asked accepts: both sides move at once, or nothing does (the trade then stays open).
   * Throws FORBIDDEN (not the member asked), NOT_FOUND (unknown, or no longer open), INSUFFICIENT_FUNDS (the accepter lacks their side; the trade stays open).
   * @example
   * await tenant.acceptTrade(tradeId, { userId: b, key: interaction.id });
   */
  acceptTrade(tradeId: string, o: { userId: string; key?: string }): Promise<trades.TradeResult>;
  /**
   * Either side calls a trade off (declines): the escrow goes back to the proposer.
   * @example
   * await tenant.cancelTrade(tradeId, { userId: a, key: interaction.id });
   */
  cancelTrade(tradeId: string, o: { userId: string; key?: string }): Promise<trades.TradeResult>;
  /** A trade by its id. */
  trade(tradeId: string): Promise<trades.TradeResult>;
  /** Return the escrow of every trade past its expiry; returns how many (run it periodically). */
  settleExpiredTrades(): Promise<number>;
  /** Call off every open trade of a member who left the server; returns how many. */
  abandonTrades(userId: string): Promise<number>;
  /** Every open trade, for a runtime to check both members are still in the server. */
  openTrades(): Promise<Trade[]>;
  /**
   * Wallet, bank, rank by total, level, streak and the most valuable items: what `/profile` shows, as
   * the config's `profile` section says (NOT_FOUND when it is off; FORBIDDEN for a `viewer` looking at
   * someone else when `profile.viewOthers` is off).
   * @example
   * const p = await tenant.profile(userId, { viewer: askingUserId });
   */
  profile(userId: string, o?: ProfileOptions): Promise<Profile>;
  /**
   * Admin: new coins for a member, minted from `faucet:admin`, with the reason (required) and actor in
   * the audit log. With a `key`, a retried grant pays once.
   * @example
   * await tenant.grant(userId, 1_000n, { reason: 'event prize', actor: modId, key: interaction.id });
   */
  grant(userId: string, amount: bigint, o: admin.AdminOptions): Promise<Receipt>;
  /** A balance brought over from another bot or a CSV file, from `faucet:import`, once per key (see `ImportBalanceInput`). */
  importBalance(userId: string, input: ImportBalanceInput): Promise<ImportReceipt>;
  /** A member's place on the leaderboard by wallet, bank or total (default), counted by the store. */
  rank(userId: string, by?: members.LeaderboardOrder): Promise<{ place: number | null; ranked: number }>;
  /** Every member's wallet and bank by id, a page at a time (`after`: the previous page's last id): exports. */
  memberBalances(o?: {
    after?: string;
    limit?: number;
  }): Promise<Array<{ userId: string; wallet: bigint; bank: bigint }>>;
  /**
   * Admin: take coins from a member into `sink:admin`, never below zero (INSUFFICIENT_FUNDS), with the
   * reason and actor in the audit log.
   * @example
   * await tenant.revoke(userId, 500n, { reason: 'duplicate reward', actor: modId, key: interaction.id });
   */
  revoke(userId: string, amount: bigint, o: admin.AdminOptions): Promise<Receipt>;
  /**
   * Admin: freeze a member's wallet: it can no longer send (pay, buy, play: ACCOUNT_FROZEN); it can
   * still receive. Audit-logged with the reason.
   * @example
   * await tenant.freeze(userId, { reason: 'under review', actor: modId });
   */
  freeze(userId: string, o: { reason: string; actor?: string; key?: string }): Promise<void>;
  /**
   * Admin: lift a freeze (audit-logged).
   * @example
   * await tenant.unfreeze(userId, { reason: 'cleared', actor: modId });
   */
  unfreeze(userId: string, o?: { reason?: string; actor?: string; key?: string }): Promise<void>;
  /**
   * Whether a member's wallet is frozen.
   * @example
   * if (await tenant.isFrozen(userId)) reply('Your wallet is frozen.');
   */
  isFrozen(userId: string): Promise<boolean>;
  /**
   * Admin: undo every transfer into or out of a member's account since `since` (an exploit), each
   * reversed with force (the member may end in debt), applied whole or not at all; returns how many.
   * @example
   * const { reversed } = await tenant.rollback(userId, { since: new Date(Date.now() - 3_600_000), reason: 'dupe exploit' });
   */
  rollback(
    userId: string,
    o: { since: Date; reason: string; actor?: string; key?: string },
  ): Promise<{ reversed: number }>;
  /** Newest first; `before`: the previous page's last entry, or a Date (see `AuditCursor`). */
  auditLog(q?: { limit?: number; before?: AuditCursor }): Promise<admin.AuditLogEntry[]>;
  /** How far the runtime's log channel has followed the audit log and config history; null: not yet. */
  logCursor(): Promise<logCursor.LogCursor | null>;
  /** Move the log cursor on from what `logCursor()` read; false when another process moved it first. */
  advanceLogCursor(from: logCursor.LogCursor | null, to: logCursor.LogPosition): Promise<boolean>;
  /**
   * Money supply, flows, inflation, velocity, Gini, active members: from rollups, not the history.
   * @example
   * const { moneySupply, gini } = await tenant.stats();
   */
  stats(): Promise<EconomyStats>;
  /** One step of the auto-balancer (when enabled): nudges faucet rewards toward the emission target. */
  runAutoBalancer(): Promise<AutoBalanceResult>;
  /** The runtime says whether the bot is in this guild (it joined, or left). */
  reportPresence(present: boolean): Promise<void>;
  /** Whether the bot is in this guild, as last reported: the control plane shows "installed". */
  presence(): Promise<bot.Presence>;
  /** Velocity outliers, circular transfers and young accounts feeding one account since a time. */
  anomalies(o: { since: Date; limit?: number }): Promise<AnomalyScan>;
  /**
   * Store what a payment rail (Stripe, Discord) says about one of its entitlements, upserted by rail
   * and ref and audit-logged; returns the plan in force after it. An observation older than the one
   * stored changes nothing, so the rails' events may arrive in any order.
   */
  recordEntitlement(e: PlanEntitlement, o?: { key?: string }): Promise<EffectivePlan>;
  /** The plan in force now and the entitlement it comes from (null source: Free). */
  plan(): Promise<EffectivePlan>;
  /** Every entitlement stored for this tenant, whatever its status. */
  entitlements(): Promise<PlanEntitlement[]>;
  /** The economic report's data: series, headline figures, and the rollups' rebuild. */
  readonly analytics: Analytics;
  /** Activity income (coins and XP for messages and voice), levels and ranks by XP. */
  readonly levels: Levels;
  /** Tickets into a pot and a provably fair daily draw, paid exactly once. */
  readonly lottery: Lottery;
  /**
   * Record the name and avatar Discord shows for a member (the runtime calls it when they change);
   * true when something changed.
   */
  recordMember(userId: string, profile: profiles.MemberProfileInput): Promise<boolean>;
  /** Members with a balance, their names and avatars: searchable, paged by user id. */
  members(q?: profiles.MemberListQuery): Promise<profiles.MemberPage>;
}

export interface TenantDeps {
  store: Store;
  lifecycle: Lifecycle;
  clock: Clock;
  random: RandomSource;
  seeds: SeedSource;
  cache: Cache;
  /** Whether a publish must fit the tenant's plan (EconomyOptions.enforcePlans). */
  enforcePlans: boolean;
  /** Told after this handle publishes a config version. */
  published(version: number): void;
  /** True while every publish (here or elsewhere) reaches `reloadConfig()`: the cached config is then trusted. */
  publishesHeard(): boolean;
}

export function createTenant(id: string, deps: TenantDeps): Tenant {
  assertTenantId(id);
  const { store, lifecycle, clock, random, seeds, cache, enforcePlans, published, publishesHeard } = deps;
  const configs = new ConfigVersions(id, store, publishesHeard);
  // Every op carries the tenant's time zone: the write path counts activity in its local days.
  const zoned = withCommit(store, async (op) =>
    store.commit({ ...op, timeZone: (await configs.current()).config.timeZone }),
  );
  const now = () => clock.now();
  // The public ledger opens the economy's gate per call; the primitives' own runs inside their operation's.
  const ledger = new TenantLedger(id, zoned, lifecycle, now);
  const ctx: TenantContext = {
    tenant: id,
    store,
    clock,
    random,
    seeds,
    ledger: new TenantLedger(id, zoned, UNGATED, now),
    known: new KnownRows(),
    // Primitives use the context only inside an operation's gate (below): no second gate per call.
    config: () => configs.current(),
    submit: (op) => zoned.commit({ ...op, tenant: id }),
    limit: (userId, config) =>
      cache.rateLimiter.consume(id, userId, config.policy.rateLimit.perMemberPerMinute),
    refundLimit: async (userId) => cache.rateLimiter.refund?.(id, userId),
  };
  // One frozen copy per loaded version, not one per call: the runtime reads the config on every interaction.
  const copies = new WeakMap<ActiveConfig, EconomyConfig & { version: number }>();
  const withVersion = (active: ActiveConfig) => {
    let copy = copies.get(active);
    if (!copy) {
      copy = Object.freeze({ ...active.config, version: active.version });
      copies.set(active, copy);
    }
    return copy;
  };

  // Every operation runs inside the economy's gate: tables exist before the first read, and close()
  // waits for operations already started (calls they make in turn belong to them).
  const gate =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      lifecycle.run(() => operation(...args));

  // A group of calls (`analytics`), each run inside the gate like the operations above.
  const gateAll = <T extends object>(calls: T): T =>
    Object.freeze(
      Object.fromEntries(
        Object.entries(calls).map(([name, call]) => [
          name,
          gate(call as (...a: unknown[]) => Promise<unknown>),
        ]),
      ),
    ) as unknown as T;

  return Object.freeze({
    id,
    ledger,
    configure: gate(
      async (
        config: EconomyConfigInput & { version?: number },
        o: { actor?: string; basedOn?: number } = {},
      ) => {
        // A config must fit the plan when published; one already in force keeps working after a downgrade.
        const result = await configs.publish(
          config,
          o.actor ?? null,
          o.basedOn,
          enforcePlans
            ? async (parsed) => assertConfigFits((await currentPlan(ctx)).plan, parsed)
            : undefined,
        );
        if (result.changed) published(result.version);
        return { version: result.version };
      },
    ),
    config: gate(async () => withVersion(await ctx.config())),
    configHistory: gate(() => configs.history()),
    configVersion: gate(async (version: number) => withVersion(await configs.at(version))),
    reloadConfig: () => configs.invalidate(),
    balance: gate((userId: string) => members.balance(ctx, userId)),
    pay: gate((input: PayInput) => pay(ctx, input)),
    claim: gate((faucet: string, userId: string, o?: ClaimOptions) => claim(ctx, faucet, userId, o)),
    buy: gate((userId: string, item: string, o?: { quantity?: number; key?: string }) =>
      shop.buy(ctx, userId, item, o),
    ),
    inventory: gate((userId: string) => shop.inventory(ctx, userId)),
    use: gate((userId: string, item: string, o?: { key?: string }) => shop.useItem(ctx, userId, item, o)),
    stock: gate(() => shop.stock(ctx)),
    // The games check the name, the choices and the action at run time; the types only narrow what a
    // caller may write, so the loosely typed operations stand in for the typed signatures.
    play: gate((game: string, userId: string, input: games.UncheckedPlayInput) =>
      games.play(ctx, game, userId, input),
    ) as Tenant['play'],
    act: gate((roundId: string, action: string, o: games.ActOptions) =>
      games.act(ctx, roundId, action, o),
    ) as Tenant['act'],
    round: gate((roundId: string) => games.round(ctx, roundId)),
    fairness: gate((userId: string) => games.fairness(ctx, userId)),
    rotateSeed: gate((userId: string, o?: { clientSeed?: string }) => games.rotateSeed(ctx, userId, o)),
    settleExpiredRounds: gate(() => games.settleExpiredRounds(ctx)),
    streak: gate((userId: string, name?: string) => members.streak(ctx, userId, name)),
    leaderboard: gate((o?: { limit?: number; by?: members.LeaderboardOrder }) => members.leaderboard(ctx, o)),
    holdings: gate((userId: string) => bank.holdings(ctx, userId)),
    deposit: gate((userId: string, amount: bigint, o?: { key?: string }) =>
      bank.deposit(ctx, userId, amount, o),
    ),
    withdraw: gate((userId: string, amount: bigint, o?: { key?: string }) =>
      bank.withdraw(ctx, userId, amount, o),
    ),
    rob: gate((robberId: string, targetId: string, o?: RobberyInput) => rob(ctx, robberId, targetId, o)),
    robbery: gate((id: string) => robbery(ctx, id)),
    collect: gate((userId: string, o?: { member?: MemberContext; key?: string }) => collect(ctx, userId, o)),
    gift: gate((input: { from: string; to: string; item: string; quantity?: number; key?: string }) =>
      items.gift(ctx, input),
    ),
    sell: gate((userId: string, item: string, o?: { quantity?: number; key?: string }) =>
      items.sell(ctx, userId, item, o),
    ),
    proposeTrade: gate((input: trades.ProposeTradeInput) => trades.proposeTrade(ctx, input)),
    acceptTrade: gate((tradeId: string, o: { userId: string; key?: string }) =>
      trades.acceptTrade(ctx, tradeId, o),
    ),
    cancelTrade: gate((tradeId: string, o: { userId: string; key?: string }) =>
      trades.cancelTrade(ctx, tradeId, o),
    ),
    trade: gate((tradeId: string) => trades.trade(ctx, tradeId)),
    settleExpiredTrades: gate(() => trades.settleExpiredTrades(ctx)),
    abandonTrades: gate((userId: string) => trades.abandonTrades(ctx, userId)),
    openTrades: gate(() => trades.openTrades(ctx)),
    profile: gate((userId: string, o?: ProfileOptions) => profile(ctx, userId, o)),
    importBalance: gate((userId: string, input: ImportBalanceInput) => importBalance(ctx, userId, input)),
    rank: gate((userId: string, by?: members.LeaderboardOrder) => members.memberRank(ctx, userId, by)),
    memberBalances: gate((o?: { after?: string; limit?: number }) => members.memberBalances(ctx, o)),
    grant: gate((userId: string, amount: bigint, o: admin.AdminOptions) =>
      admin.grant(ctx, userId, amount, o),
    ),
    revoke: gate((userId: string, amount: bigint, o: admin.AdminOptions) =>
      admin.revoke(ctx, userId, amount, o),
    ),
    freeze: gate((userId: string, o: { reason: string; actor?: string; key?: string }) =>
      admin.freeze(ctx, userId, o),
    ),
    unfreeze: gate((userId: string, o?: { reason?: string; actor?: string; key?: string }) =>
      admin.unfreeze(ctx, userId, o),
    ),
    isFrozen: gate((userId: string) => admin.isFrozen(ctx, userId)),
    rollback: gate((userId: string, o: { since: Date; reason: string; actor?: string; key?: string }) =>
      admin.rollback(ctx, userId, o),
    ),
    auditLog: gate((q?: { limit?: number; before?: AuditCursor }) => admin.auditLog(ctx, q)),
    logCursor: gate(() => logCursor.logCursor(ctx)),
    advanceLogCursor: gate((from: logCursor.LogCursor | null, to: logCursor.LogPosition) =>
      logCursor.advanceLogCursor(ctx, from, to),
    ),
    stats: gate(() => computeStats(ctx)),
    runAutoBalancer: gate(() => runAutoBalancer(ctx)),
    anomalies: gate((o: { since: Date; limit?: number }) => scanAnomalies(ctx, o)),
    reportPresence: gate((present: boolean) => bot.reportPresence(ctx, present)),
    presence: gate(() => bot.presence(ctx)),
    recordEntitlement: gate((e: PlanEntitlement, o?: { key?: string }) => recordEntitlement(ctx, e, o)),
    plan: gate(() => currentPlan(ctx)),
    entitlements: gate(() => entitlementsOf(ctx)),
    analytics: gateAll(tenantAnalytics(ctx)),
    levels: createLevels(ctx, gateAll),
    lottery: gateAll(createLottery(ctx)),
    recordMember: gate((userId: string, profile: profiles.MemberProfileInput) =>
      profiles.recordMember(ctx, userId, profile),
    ),
    members: gate((q?: profiles.MemberListQuery) => profiles.listMembers(ctx, q)),
  });
}
