import type { TenantContext } from '../context/tenant-context.js';
import {
  DEBT_BUCKET,
  HOLDING_BUCKETS_END,
  hourBucket,
  localPeriods,
  QUARTER_OF,
  RollupMetric,
  type SumMetric,
} from '../ledger/rollups.js';
import { ratioBps, roundedRatio } from '../policy/measures.js';
import { type Distribution, distributionFromHoldings } from './holdings.js';
import { type PublicLeaderboard, type PublicLeaderboardQuery, publicLeaderboard } from './leaderboard.js';
import { type RebuildOptions, type RollupCheck, rebuildRollups } from './rebuild.js';
import {
  type ActiveMembers,
  activeMembers,
  configuredReturns,
  type FlowsBySource,
  flowsBySource,
  type GameFigures,
  gameFigures,
  type IssuanceDay,
  netIssuance,
  periodRowsToHours,
  type ReportRange,
  resolveWindow,
  type ShopFigures,
  type StreakLengths,
  type SupplyDay,
  shopFigures,
  splitHours,
  splitQuarters,
  streakLengths,
  supplySeries,
  type Velocity,
  velocitySeries,
  type Window,
  windowPeriods,
} from './report.js';

export type { StreakLengths } from './report.js';

export interface Headline extends Distribution {
  asOf: Date;
  /** Supply 30 days ago (now minus the net issuance since). */
  supply30dAgo: bigint;
  /** (supply − supply30dAgo) ÷ supply30dAgo in basis points; null without a positive supply 30 days ago. */
  inflation30dBps: bigint | null;
  /** Average net issuance per day over the last 30 days (truncated toward zero). */
  netIssuancePerDay: bigint;
  /** Member volume of 30 days ÷ average supply, 2 decimals. */
  velocity30d: number;
  /** Members whose balance moved today (the tenant's local day). */
  dailyActive: number;
  /** The config's target band for daily net emission, as bps of supply (policy.autoBalance). */
  targetBandBps: { min: number; max: number };
}

/** The data calls of the economic report (`tenant.analytics`). */
export interface Analytics {
  /** Supply, inflation, net issuance, velocity, Gini, top-10 % share, Lorenz curve, daily actives. */
  headline(): Promise<Headline>;
  /** End-of-day money supply per local day. */
  supply(range?: ReportRange): Promise<SupplyDay[]>;
  /** Faucets vs sinks stacked by source, per local day and over the range. */
  flowsBySource(range?: ReportRange): Promise<FlowsBySource>;
  netIssuance(range?: ReportRange): Promise<IssuanceDay[]>;
  velocity(range?: ReportRange): Promise<Velocity>;
  /** DAU, WAU, MAU and new members, in the local days, weeks and months of the tenant's time zone. */
  activeMembers(range?: ReportRange): Promise<ActiveMembers>;
  /** Rounds, wagers, payouts, observed vs configured RTP, per game. */
  games(range?: ReportRange): Promise<GameFigures[]>;
  /** Units and coins per shop item. */
  shop(range?: ReportRange): Promise<ShopFigures[]>;
  /** Streak lengths members reached in the range, per streak (from the streak-length rollup). */
  streaks(range?: ReportRange): Promise<StreakLengths[]>;
  /** A page of the public leaderboard with names and avatars; NOT_FOUND unless the config opts in. */
  publicLeaderboard(query?: PublicLeaderboardQuery): Promise<PublicLeaderboard>;
  /** Re-derive every rollup from the ledger and compare with what was kept; `repair` replaces them. */
  rebuild(options?: RebuildOptions): Promise<RollupCheck>;
}

const HEADLINE_DAYS = 30;
const DAY_MS = 86_400_000;

export function tenantAnalytics(ctx: TenantContext): Analytics {
  const window = async (range: ReportRange = {}): Promise<Window> => {
    const { config } = await ctx.config();
    return resolveWindow(range, ctx.clock.now(), config.timeZone);
  };
  /**
   * Rollups of the window, summed per local day in the database (hours past the window: one more day);
   * each row's bucket is its day's first hour, which is all the report's series need of it.
   */
  const read = async (
    w: Window,
    metrics: readonly RollupMetric[],
    o: { to?: number; perKey?: boolean } = {},
  ) => {
    const query = { from: w.fromBucket, to: o.to ?? w.toBucket, metrics, perKey: o.perKey ?? true };
    const periods = windowPeriods(w);
    const cuts = splitQuarters(w);
    const [rows, split] = await Promise.all([
      periods === null
        ? ctx.store.readRollups(ctx.tenant, query)
        : ctx.store.readRollupPeriods(ctx.tenant, query, periods).then((r) => periodRowsToHours(w, r)),
      // A zone whose midnights cut hours: the cut hours' quarter rows, to give each day its part.
      ctx.store.readRollupCuts(
        ctx.tenant,
        {
          metrics: metrics.flatMap((m) => (m in QUARTER_OF ? [QUARTER_OF[m as SumMetric]] : [])),
          perKey: query.perKey,
        },
        cuts,
      ),
    ]);
    return split.length === 0 ? rows : [...rows, ...splitHours(w, split)];
  };
  const nowBucket = () => hourBucket(ctx.clock.now()) + 1;
  const supply = async (w: Window) => {
    const [rows, now] = await Promise.all([
      read(w, [RollupMetric.minted, RollupMetric.burned], {
        to: Math.max(w.toBucket, nowBucket()),
        perKey: false,
      }),
      ctx.store.moneySupply(ctx.tenant),
    ]);
    return supplySeries(w, rows, now);
  };

  return {
    async headline() {
      const asOf = ctx.clock.now();
      const { config } = await ctx.config();
      const since = hourBucket(new Date(asOf.getTime() - HEADLINE_DAYS * DAY_MS));
      const today = localPeriods(asOf, config.timeZone).day;
      const [holdings, sums30d, activeToday] = await Promise.all([
        // The holdings histogram (kept with each commit): a few thousand rows at most.
        ctx.store.readRollups(ctx.tenant, {
          from: DEBT_BUCKET,
          to: HOLDING_BUCKETS_END,
          metrics: [RollupMetric.holdings],
          perKey: false,
        }),
        // No branches: every hour of the 30 days sums into one period, one row per metric.
        ctx.store.readRollupPeriods(
          ctx.tenant,
          {
            from: since,
            to: hourBucket(asOf) + 1,
            metrics: [RollupMetric.minted, RollupMetric.burned, RollupMetric.volume],
            perKey: false,
          },
          { branches: [], after: 0 },
        ),
        ctx.store.readRollups(ctx.tenant, {
          from: today,
          to: today + 1,
          metrics: [RollupMetric.activeDay],
          perKey: true,
        }),
      ]);
      const rows = [...sums30d, ...activeToday];
      // One figure per member (a bank account counts with its holder's wallet).
      const dist = distributionFromHoldings(
        holdings.map((r) => ({ bucket: r.bucket, members: r.count, amount: r.amount })),
      );
      let net = 0n;
      let volume = 0n;
      let dailyActive = 0;
      for (const r of rows) {
        if (r.metric === RollupMetric.minted) net += r.amount;
        else if (r.metric === RollupMetric.burned) net -= r.amount;
        else if (r.metric === RollupMetric.volume) volume += r.amount;
        else if (r.key === config.timeZone) dailyActive = Number(r.count);
      }
      const supply30dAgo = dist.supply - net;
      // Average supply over the window, approximated by its two ends (the exact one is in `velocity`).
      const averageSupply = (dist.supply + supply30dAgo) / 2n;
      return {
        ...dist,
        asOf,
        supply30dAgo,
        inflation30dBps: ratioBps(net, supply30dAgo) ?? null,
        netIssuancePerDay: net / BigInt(HEADLINE_DAYS),
        velocity30d: averageSupply > 0n && volume > 0n ? roundedRatio(volume, averageSupply, 2) : 0,
        dailyActive,
        targetBandBps: {
          min: config.policy.autoBalance.targetMinBps,
          max: config.policy.autoBalance.targetMaxBps,
        },
      };
    },
    async supply(range) {
      return supply(await window(range));
    },
    async flowsBySource(range) {
      const w = await window(range);
      return flowsBySource(w, await read(w, [RollupMetric.minted, RollupMetric.burned]));
    },
    async netIssuance(range) {
      const w = await window(range);
      return netIssuance(w, await read(w, [RollupMetric.minted, RollupMetric.burned], { perKey: false }));
    },
    async velocity(range) {
      const w = await window(range);
      const [rows, series] = await Promise.all([
        read(w, [RollupMetric.volume], { perKey: false }),
        supply(w),
      ]);
      return velocitySeries(w, rows, series);
    },
    async activeMembers(range) {
      const w = await window(range);
      // The month the window starts in may have begun before it: its row is read too. Distinct counts per
      // local period: read as kept (bucket: local day number), never summed.
      const rows = await ctx.store.readRollups(ctx.tenant, {
        from: w.days[0]! - 31,
        to: w.days.at(-1)! + 1,
        perKey: true,
        metrics: [
          RollupMetric.activeDay,
          RollupMetric.activeWeek,
          RollupMetric.activeMonth,
          RollupMetric.newMembers,
        ],
      });
      return activeMembers(w, rows);
    },
    async games(range) {
      const w = await window(range);
      const [{ config }, rows] = await Promise.all([
        ctx.config(),
        read(w, [RollupMetric.wager, RollupMetric.payout, RollupMetric.rounds]),
      ]);
      return gameFigures(rows, configuredReturns(config.games));
    },
    async shop(range) {
      const w = await window(range);
      return shopFigures(await read(w, [RollupMetric.shop]));
    },
    async streaks(range) {
      const w = await window(range);
      const [{ config }, rows] = await Promise.all([ctx.config(), read(w, [RollupMetric.streak])]);
      return streakLengths(Object.keys(config.streaks), rows);
    },
    publicLeaderboard: (query) => publicLeaderboard(ctx, query),
    rebuild: async (options) =>
      rebuildRollups(ctx.store, ctx.tenant, (await ctx.config()).config.timeZone, options),
  };
}
