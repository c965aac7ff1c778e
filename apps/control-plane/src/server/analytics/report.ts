import type {
  ActiveMembers,
  AnomalyScan,
  FlowsBySource,
  GameFigures,
  Headline,
  IssuanceDay,
  PresetName,
  ShopFigures,
  StreakLengths,
  SupplyDay,
  Tenant,
  Velocity,
} from '@guildmint/sdk';
import { presetInflationBands } from '../sdk';
import { type Finding, findings } from './findings';
import { buildForecast, type Forecast } from './forecast';
import { priceIndex } from './price-index';
import type { ResolvedRange } from './range';
import { type RtpBand, rtpBand } from './rtp-band';

export interface ReportGame extends GameFigures {
  /** Where the observed return should lie by chance alone (see `rtp-band.ts`). */
  band: RtpBand | null;
}

/** Everything the report page, the monthly report and the CSV export show, from one set of reads. */
export interface EconomyReport {
  range: { from: Date; to: Date; label: string; timeZone: string };
  currency: { symbol: string; name: string; decimals: number };
  headline: Headline;
  /** The preset's monthly inflation band, basis points. */
  inflationBand: { minBps: number; maxBps: number };
  supply: SupplyDay[];
  flows: FlowsBySource;
  issuance: IssuanceDay[];
  velocity: Velocity;
  active: ActiveMembers;
  games: ReportGame[];
  shop: ShopFigures[];
  /** Shop prices against the range before (100 = unchanged); null without items sold in both. */
  priceIndex: number | null;
  streaks: StreakLengths[];
  /** The editor's simulation of the range against what happened (null: no members, or it timed out). */
  forecast: Forecast | null;
  anomalies: AnomalyScan;
  findings: Finding[];
}

/** Transfers the anomaly scan reads at most: the page stays quick on a busy guild. */
export const ANOMALY_SCAN_LIMIT = 2_000;
const WEEK_MS = 7 * 86_400_000;

export async function buildReport(
  tenant: Tenant,
  range: ResolvedRange,
  preset: PresetName,
): Promise<EconomyReport> {
  const window = { from: range.from, to: range.to };
  const a = tenant.analytics;
  const [
    { config },
    headline,
    supply,
    flows,
    issuance,
    velocity,
    active,
    games,
    shop,
    previousShop,
    streaks,
    anomalies,
  ] = await Promise.all([
    tenant.config().then((config) => ({ config })),
    a.headline(),
    a.supply(window),
    a.flowsBySource(window),
    a.netIssuance(window),
    a.velocity(window),
    a.activeMembers(window),
    a.games(window),
    a.shop(window),
    a.shop(range.previous),
    a.streaks(window),
    tenant.anomalies({ since: new Date(range.to.getTime() - WEEK_MS), limit: ANOMALY_SCAN_LIMIT }),
  ]);
  const forecast = await buildForecast(tenant, { supply, issuance, members: headline.members });
  const reportGames = games.map((g) => ({ ...g, band: rtpBand(g.game, g.configuredRtp, g.rounds) }));
  const inflationBand = { ...presetInflationBands[preset] };
  return {
    range: { ...window, label: range.label, timeZone: config.timeZone },
    currency: { ...config.currency },
    headline,
    inflationBand,
    supply,
    flows,
    issuance,
    velocity,
    active,
    games: reportGames,
    shop,
    priceIndex: priceIndex(shop, previousShop),
    streaks,
    forecast,
    anomalies,
    findings: findings({
      headline,
      inflationBand,
      flows,
      games: reportGames,
      active,
      anomalies: anomalies.flags,
    }),
  };
}
