import type { EconomyReport } from './report';

/** The report's tables, each downloadable as CSV with the numbers the page shows. */
export const REPORT_TABLES = [
  'supply',
  'flows',
  'issuance',
  'velocity',
  'active',
  'games',
  'shop',
  'distribution',
  'forecast',
] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

type Cell = string | number | bigint | null;

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const field = (cell: Cell) => {
    const text = cell === null ? '' : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[header, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}

/** Minor units as major units with the currency's decimals, plain (no separators): 123456n, 2 → "1234.56". */
export function plainUnits(amount: bigint, decimals: number): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const fraction = decimals > 0 ? `.${(abs % scale).toString().padStart(decimals, '0')}` : '';
  return `${negative ? '-' : ''}${abs / scale}${fraction}`;
}

const bpsPercent = (bps: bigint | null) => (bps === null ? null : (Number(bps) / 100).toFixed(2));

export function reportCsv(report: EconomyReport, table: ReportTable): string {
  const units = (amount: bigint) => plainUnits(amount, report.currency.decimals);
  switch (table) {
    case 'supply':
      return toCsv(
        ['day', 'supply'],
        report.supply.map((d) => [d.day, units(d.supply)]),
      );
    case 'flows': {
      const rows: Cell[][] = [];
      for (const d of report.flows.days) {
        for (const [source, amount] of Object.entries(d.minted))
          rows.push([d.day, 'minted', source, units(amount)]);
        for (const [source, amount] of Object.entries(d.burned))
          rows.push([d.day, 'burned', source, units(amount)]);
      }
      return toCsv(['day', 'direction', 'source', 'amount'], rows);
    }
    case 'issuance':
      return toCsv(
        ['day', 'minted', 'burned', 'net'],
        report.issuance.map((d) => [d.day, units(d.minted), units(d.burned), units(d.net)]),
      );
    case 'velocity':
      return toCsv(
        ['day', 'volume', 'supply', 'velocity_percent'],
        report.velocity.days.map((d) => [d.day, units(d.volume), units(d.supply), bpsPercent(d.velocityBps)]),
      );
    case 'active':
      return toCsv(
        ['period', 'start', 'members'],
        [
          ...report.active.daily.map((p) => ['day', p.start, p.members]),
          ...report.active.weekly.map((p) => ['week', p.start, p.members]),
          ...report.active.monthly.map((p) => ['month', p.start, p.members]),
          ...report.active.newMembers.map((p) => ['new', p.start, p.members]),
        ],
      );
    case 'games':
      return toCsv(
        ['game', 'rounds', 'wagered', 'paid_out', 'observed_rtp', 'configured_rtp', 'band_low', 'band_high'],
        report.games.map((g) => [
          g.game,
          g.rounds,
          units(g.wagered),
          units(g.paidOut),
          g.observedRtp,
          g.configuredRtp,
          g.band?.low ?? null,
          g.band?.high ?? null,
        ]),
      );
    case 'shop':
      return toCsv(
        ['item', 'units', 'coins'],
        report.shop.map((s) => [s.item, s.units, units(s.coins)]),
      );
    case 'distribution':
      return toCsv(
        ['members_share_percent', 'coins_share_percent'],
        report.headline.lorenz.map((bps, k) => [k * 10, bpsPercent(bps)]),
      );
    case 'forecast':
      return toCsv(
        ['day', 'expected_supply', 'actual_supply'],
        (report.forecast?.days ?? []).map((d) => [d.day, units(d.expected), units(d.actual)]),
      );
  }
}
