import { byMember } from '../context/member-account.js';
import type { TenantContext } from '../context/tenant-context.js';
import type { FlowRow } from '../stores/types.js';
import {
  activeCounts,
  type DailyPoint,
  dailySeries,
  type FlowWindows,
  flowEffect,
  gini,
  ratioBps,
  sumWindows,
  utcDay,
  velocity,
} from './measures.js';

export type { DailyPoint, FlowWindows } from './measures.js';

/** The state of one economy's money, from the flow rollup and member balances only. */
export interface EconomyStats {
  /** Sum of every member balance. */
  moneySupply: bigint;
  /** Net currency ever created: out of `faucet:*`, minus reversals back into them. */
  minted: bigint;
  /** Net currency ever destroyed: into `sink:*`, minus anything that left them. */
  burned: bigint;
  /** Per faucet name (`daily` for `faucet:daily`): net minted in each window. */
  faucets: Record<string, FlowWindows>;
  /** Per sink name (`tax` for `sink:tax`): net burned in each window. */
  sinks: Record<string, FlowWindows>;
  /** Net change of members' money in each window: minted − burned − what games and system accounts kept. */
  netEmission: FlowWindows;
  /** Money supply when the 30-day window began (end of the UTC day 30 days before today). */
  supply30dAgo: bigint;
  /**
   * Net emission of the last 30 days ÷ `supply30dAgo`, in basis points, truncated toward zero;
   * null when there was no positive supply 30 days ago (a young or empty economy).
   */
  inflationBps30d: number | null;
  /** Member-to-member, game and shop turnover of 30 days ÷ average supply; 2 decimals. */
  velocity30d: number;
  /** Wealth concentration of member balances, 0..1, 4 decimals. */
  gini: number;
  /** Members whose balance moved within the last 24 h, 7 days, 30 days. */
  activeMembers: { day: number; week: number; month: number };
  /** Members with a balance row. */
  members: number;
  /** The last 30 UTC days, oldest first, today (so far) last: flows and end-of-day supply, for charts. */
  daily: DailyPoint[];
  asOf: Date;
}

/** Every flow row: the rollup starts at the first transfer, so this is all of history. */
const FIRST_DAY = '0000-01-01';

/** Reads the rollup and the member balances (never the transfer history) and measures the economy. */
export async function computeStats(ctx: TenantContext): Promise<EconomyStats> {
  const asOf = ctx.clock.now();
  // Two reads, not one snapshot: a transfer committed in between may show in one and not the other,
  // which a statistic can bear.
  const [flows, balances] = await Promise.all([
    ctx.store.flows(ctx.tenant, FIRST_DAY),
    ctx.store.userBalances(ctx.tenant),
  ]);
  return buildStats({ flows, balances: byMember(balances), asOf });
}

export interface StatsInput {
  flows: readonly FlowRow[];
  balances: ReadonlyArray<{ balance: bigint; activeAt: Date | null }>;
  asOf: Date;
}

/** The pure half of `computeStats`. */
export function buildStats({ flows, balances, asOf }: StatsInput): EconomyStats {
  const today = utcDay(asOf);
  const moneySupply = balances.reduce((sum, b) => sum + b.balance, 0n);

  let minted = 0n;
  let burned = 0n;
  const faucetDays = new Map<string, Array<{ day: string; value: bigint }>>();
  const sinkDays = new Map<string, Array<{ day: string; value: bigint }>>();
  for (const row of flows) {
    const effect = flowEffect(row);
    minted += effect.minted;
    burned += effect.burned;
    const [kind, name] = splitAccount(row.account);
    if (kind === 'faucet') pushTo(faucetDays, name, { day: row.day, value: effect.minted });
    if (kind === 'sink') pushTo(sinkDays, name, { day: row.day, value: effect.burned });
  }
  const windowsOf = (days: Map<string, Array<{ day: string; value: bigint }>>) =>
    Object.fromEntries(
      [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, v]) => [name, sumWindows(v, today)]),
    );

  const series = dailySeries(flows, moneySupply, today);
  const inflation = ratioBps(
    series.points.reduce((sum, p) => sum + p.netEmission, 0n),
    series.supplyBefore,
  );
  return {
    moneySupply,
    minted,
    burned,
    faucets: windowsOf(faucetDays),
    sinks: windowsOf(sinkDays),
    netEmission: sumWindows(
      series.points.map((p) => ({ day: p.day, value: p.netEmission })),
      today,
    ),
    supply30dAgo: series.supplyBefore,
    inflationBps30d: inflation === undefined ? null : Number(inflation),
    velocity30d: velocity(series.points, series.firstDay),
    gini: gini(balances.map((b) => b.balance)),
    activeMembers: activeCounts(
      balances.map((b) => b.activeAt),
      asOf,
    ),
    members: balances.length,
    daily: series.points,
    asOf,
  };
}

function splitAccount(account: string): [string, string] {
  const colon = account.indexOf(':');
  return colon < 0 ? [account, ''] : [account.slice(0, colon), account.slice(colon + 1)];
}

function pushTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
