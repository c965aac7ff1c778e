import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatAmount } from '../../lib/money';
import type { ReportTable } from '../../server/analytics/csv';
import type { EconomyReport } from '../../server/analytics/report';
import { Badge, Card, EmptyState } from '../ui/card';
import { AnomalyActions } from './anomaly-actions';
import { LineChart, LorenzChart, paletteClass, RtpChart, StackedBars } from './charts';

/** The series a stacked chart shows by name; the rest are summed as "other". */
const STACKED_SOURCES = 5;

const n = (x: bigint) => Number(x);
const pct = (bps: bigint | null) => (bps === null ? '—' : `${(Number(bps) / 100).toFixed(1)} %`);
const rtp = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);

/**
 * The economic report (EVE's Monthly Economic Report, for one guild): headline figures, findings,
 * charts with their tables, and, live, the week's anomalies with their actions. Server-rendered.
 */
export function ReportView({
  report,
  tenantId,
  query,
  live,
}: {
  report: EconomyReport & { historyLimitDays?: number | null };
  tenantId: string;
  /** The range as a query string, for the CSV links. */
  query: string;
  live: boolean;
}) {
  const money = (x: bigint) => formatAmount(x, report.currency);
  const days = report.supply.map((d) => d.day);
  const h = report.headline;
  const empty = h.members === 0 && report.flows.minted.length === 0;
  const csv = (table: ReportTable) => `/t/${tenantId}/analytics/export/${table}?${query}`;

  return (
    <div className="space-y-6" data-testid="economy-report">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        {report.range.label} · days in {report.range.timeZone}
      </p>
      {report.historyLimitDays ? (
        <p className="text-sm" data-testid="history-limit">
          Your plan keeps {report.historyLimitDays} days of analytics, so the range starts there.{' '}
          <Link
            href={`/t/${tenantId}/billing`}
            className="text-brand-700 underline dark:text-brand-300 print:hidden"
          >
            A larger plan shows more
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="headline-heading" className="space-y-3">
        <h2 id="headline-heading" className="text-lg font-semibold">
          Headline
        </h2>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Figure label="Money supply" value={money(h.supply)} testId="figure-supply" />
          <Figure
            label="Inflation, 30 days"
            value={pct(h.inflation30dBps)}
            note={`band ${pct(BigInt(report.inflationBand.minBps))} – ${pct(BigInt(report.inflationBand.maxBps))}`}
          />
          <Figure label="Net issuance per day" value={money(h.netIssuancePerDay)} />
          <Figure label="Velocity, 30 days" value={h.velocity30d.toFixed(2)} />
          <Figure label="Gini" value={h.gini.toFixed(2)} />
          <Figure label="Richest tenth hold" value={pct(h.top10ShareBps)} />
          <Figure label="Active today" value={String(h.dailyActive)} />
          <Figure label="Members" value={h.members.toLocaleString('en-US')} />
        </div>
      </section>

      {empty ? (
        <EmptyState title="No activity yet">
          The report fills in as members claim rewards, play and shop. Share the bot’s commands in your
          server, then come back here.
        </EmptyState>
      ) : null}

      <section aria-labelledby="findings-heading" className="space-y-3">
        <h2 id="findings-heading" className="text-lg font-semibold">
          Findings
        </h2>
        {report.findings.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Nothing stands out: inflation is inside its band and no rule fired.
          </p>
        ) : (
          <ul className="space-y-2" data-testid="findings">
            {report.findings.map((f) => (
              <li key={`${f.rule}-${f.text}`} className="flex flex-wrap items-center gap-2">
                <Badge tone={f.severity === 'alert' ? 'bad' : f.severity === 'warn' ? 'warn' : 'neutral'}>
                  {f.severity}
                </Badge>
                <span>{f.text}</span>
                <Link
                  href={`/t/${tenantId}/${f.link.path}`}
                  className="text-sm text-brand-700 underline dark:text-brand-300 print:hidden"
                >
                  {f.link.label}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <Section id="supply" title="Money supply" csv={csv('supply')}>
        <LineChart
          label={`Money supply per day, from ${money(report.supply[0]?.supply ?? 0n)} to ${money(h.supply)}`}
          days={days}
          series={[{ name: 'supply', values: report.supply.map((d) => n(d.supply)) }]}
        />
      </Section>

      <Section id="forecast" title="Forecast: expected against actual" csv={csv('forecast')}>
        <ForecastChart report={report} money={money} />
      </Section>

      <Section id="flows" title="Faucets and sinks by source" csv={csv('flows')}>
        <FlowsChart report={report} />
        <div className="grid gap-4 md:grid-cols-2">
          <SourceTable title="Minted (faucets)" rows={report.flows.minted} money={money} />
          <SourceTable title="Burned (sinks)" rows={report.flows.burned} money={money} />
        </div>
      </Section>

      <Section id="issuance" title="Net issuance" csv={csv('issuance')}>
        <LineChart
          label="Net issuance per day: minted minus burned"
          days={days}
          series={[{ name: 'net', values: report.issuance.map((d) => n(d.net)) }]}
        />
      </Section>

      <Section
        id="velocity"
        title={`Velocity (${report.velocity.overall.toFixed(2)} over the range)`}
        csv={csv('velocity')}
      >
        <LineChart
          label={`Velocity per day; ${report.velocity.overall.toFixed(2)} over the range`}
          days={days}
          series={[
            {
              name: 'velocity',
              values: report.velocity.days.map((d) => Number(d.velocityBps ?? 0n) / 10_000),
            },
          ]}
        />
      </Section>

      <Section id="distribution" title="Wealth distribution" csv={csv('distribution')}>
        <div className="flex flex-wrap items-center gap-6">
          <LorenzChart
            label={`Lorenz curve: the poorest half hold ${pct(h.lorenz[5] ?? 0n)} of the coins`}
            lorenz={h.lorenz.map(Number)}
          />
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
            <dt>Gini</dt>
            <dd className="tabular-nums">{h.gini.toFixed(4)}</dd>
            <dt>Richest tenth hold</dt>
            <dd className="tabular-nums">{pct(h.top10ShareBps)}</dd>
            <dt>Poorest half hold</dt>
            <dd className="tabular-nums">{pct(h.lorenz[5] ?? 0n)}</dd>
          </dl>
        </div>
      </Section>

      <Section id="games" title="Games: observed against configured return" csv={csv('games')}>
        {report.games.every((g) => g.rounds === 0) ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">No rounds played in this range.</p>
        ) : (
          <RtpChart
            label="Observed return per game (dot) against the configured return (tick) and its 95 % band"
            games={report.games.map((g) => ({
              game: g.game,
              observed: g.observedRtp,
              configured: g.configuredRtp,
              low: g.band?.low ?? null,
              high: g.band?.high ?? null,
            }))}
          />
        )}
        <Table
          caption="Games in this range"
          head={['Game', 'Rounds', 'Wagered', 'Paid out', 'Observed', 'Configured', '95 % band']}
          rows={report.games.map((g) => [
            g.game,
            g.rounds.toLocaleString('en-US'),
            money(g.wagered),
            money(g.paidOut),
            rtp(g.observedRtp),
            rtp(g.configuredRtp),
            g.band ? `${rtp(g.band.low)} – ${rtp(g.band.high)}` : '—',
          ])}
        />
      </Section>

      <Section
        id="shop"
        title={`Shop sales${report.priceIndex === null ? '' : ` · price index ${report.priceIndex.toFixed(1)}`}`}
        csv={csv('shop')}
      >
        {report.shop.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">Nothing sold in this range.</p>
        ) : (
          <Table
            caption="Shop sales per item"
            head={['Item', 'Units', 'Coins']}
            rows={report.shop.map((s) => [s.item, s.units.toLocaleString('en-US'), money(s.coins)])}
          />
        )}
        <p className="text-xs text-slate-600 dark:text-slate-300">
          Price index: the previous range’s purchases at this range’s average prices (100 = unchanged).
        </p>
      </Section>

      <Section id="active" title="Activity" csv={csv('active')}>
        <LineChart
          label={`Daily active, new and returning members (days in ${report.range.timeZone})`}
          days={report.active.daily.map((d) => d.start)}
          series={[
            { name: 'active', values: report.active.daily.map((d) => d.members) },
            { name: 'new', values: report.active.newMembers.map((d) => d.members) },
            {
              name: 'returning',
              values: report.active.daily.map(
                (d, i) => d.members - (report.active.newMembers[i]?.members ?? 0),
              ),
            },
          ]}
        />
        <Legend names={['daily active', 'new members', 'returning members']} />
        <p className="text-sm">
          Weekly active: {report.active.weekly.map((w) => w.members).join(', ') || '—'} · monthly active:{' '}
          {report.active.monthly.map((m) => m.members).join(', ') || '—'}
        </p>
      </Section>

      {report.streaks.some((s) => s.lengths.length > 0) ? (
        <Section id="streaks" title="Streaks">
          <StreaksChart report={report} />
          <Legend names={report.streaks.map((s) => s.streak)} />
          <Table
            caption="Times members reached each streak length in the range"
            head={['Streak', 'Lengths (days: times reached)']}
            rows={report.streaks.map((s) => [
              s.streak,
              s.lengths.map((l) => `${l.length}: ${l.members}`).join(', ') || '—',
            ])}
          />
        </Section>
      ) : null}

      {live ? <Anomalies report={report} tenantId={tenantId} money={money} /> : null}
    </div>
  );
}

function FlowsChart({ report }: { report: EconomyReport }) {
  const days = report.flows.days.map((d) => d.day);
  const stack = (
    ranked: EconomyReport['flows']['minted'],
    pick: (d: EconomyReport['flows']['days'][number]) => Record<string, bigint>,
    other: string,
  ) => {
    const named = ranked.slice(0, STACKED_SOURCES).map((r) => r.source);
    const series = named.map((name) => ({
      name,
      values: report.flows.days.map((d) => n(pick(d)[name] ?? 0n)),
    }));
    if (ranked.length > STACKED_SOURCES)
      series.push({
        name: other,
        values: report.flows.days.map((d) =>
          Object.entries(pick(d)).reduce((a, [k, v]) => (named.includes(k) ? a : a + n(v)), 0),
        ),
      });
    return series;
  };
  const up = stack(report.flows.minted, (d) => d.minted, 'other faucets');
  const down = stack(report.flows.burned, (d) => d.burned, 'other sinks');
  return (
    <>
      <StackedBars
        label="Coins minted (above the line) and burned (below) per day, by source"
        days={days}
        up={up}
        down={down}
      />
      <Legend names={[...up.map((s) => s.name), ...down.map((s) => s.name)]} />
    </>
  );
}

/** Streak lengths reached in the range: one bar per length, stacked by streak. */
function StreaksChart({ report }: { report: EconomyReport }) {
  const lengths = [...new Set(report.streaks.flatMap((s) => s.lengths.map((l) => l.length)))].sort(
    (a, b) => a - b,
  );
  const up = report.streaks.map((s) => {
    const reached = new Map(s.lengths.map((l) => [l.length, l.members]));
    return { name: s.streak, values: lengths.map((length) => reached.get(length) ?? 0) };
  });
  return (
    <StackedBars
      label="Streak lengths reached in the range, per length in days"
      days={lengths.map(String)}
      up={up}
      down={[]}
    />
  );
}

function Legend({ names }: { names: readonly string[] }) {
  return (
    <ul className="flex flex-wrap gap-3 text-xs" aria-label="Legend">
      {names.map((name, i) => (
        <li key={name} className="inline-flex items-center gap-1">
          <svg width="10" height="10" aria-hidden="true">
            <rect width="10" height="10" className={paletteClass(i)} />
          </svg>
          {name}
        </li>
      ))}
    </ul>
  );
}

function Anomalies({
  report,
  tenantId,
  money,
}: {
  report: EconomyReport;
  tenantId: string;
  money: (x: bigint) => string;
}) {
  const { flags, scanned, truncated } = report.anomalies;
  return (
    <Section id="anomalies" title="Anomalies this week">
      <p className="text-xs text-slate-600 dark:text-slate-300">
        {scanned.toLocaleString('en-US')} recent transfers scanned{truncated ? ' (the newest only)' : ''}.
        Flags are signals to look at, not proof.
      </p>
      {flags.length === 0 ? (
        <p className="text-sm">No anomalies.</p>
      ) : (
        <ul className="space-y-3" data-testid="anomalies">
          {flags.map((flag) => {
            const users = flag.accounts.filter((a) => a.startsWith('user:')).map((a) => a.slice(5));
            const what =
              flag.kind === 'velocity'
                ? `moved ${money(flag.detail.volume)} in one hour (score ${flag.detail.score.toFixed(1)})`
                : flag.kind === 'circular'
                  ? `${flag.detail.roundTrips} round trips, ${money(flag.detail.returned)} sent back`
                  : `${flag.detail.feeders} new accounts fed ${money(flag.detail.amount)} to ${flag.detail.target.slice(5)}`;
            return (
              <li key={`${flag.kind}-${flag.accounts.join('-')}`} className="space-y-1">
                <p className="text-sm">
                  <Badge tone="warn">{flag.kind}</Badge>{' '}
                  {users.map((u) => (
                    <Link
                      key={u}
                      href={`/t/${tenantId}/members/${u}`}
                      className="mr-1 font-mono text-brand-700 underline dark:text-brand-300"
                    >
                      {u}
                    </Link>
                  ))}
                  {what}
                </p>
                <div className="flex flex-wrap gap-2">
                  {users.slice(0, 3).map((u) => (
                    <AnomalyActions key={u} tenantId={tenantId} userId={u} />
                  ))}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function Figure({
  label,
  value,
  note,
  testId,
}: {
  label: string;
  value: string;
  note?: string;
  testId?: string;
}) {
  return (
    <Card className="p-4">
      <p className="text-xs text-slate-600 dark:text-slate-300">{label}</p>
      <p className="text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
      {note ? <p className="text-xs text-slate-600 dark:text-slate-300">{note}</p> : null}
    </Card>
  );
}

function Section({
  id,
  title,
  csv,
  children,
}: {
  id: string;
  title: string;
  csv?: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-3 break-inside-avoid">
      <div className="flex items-center justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-lg font-semibold">
          {title}
        </h2>
        {csv ? (
          <a
            href={csv}
            className="text-sm text-brand-700 underline dark:text-brand-300 print:hidden"
            download
          >
            CSV
          </a>
        ) : null}
      </div>
      <Card>{children}</Card>
    </section>
  );
}

function SourceTable({
  title,
  rows,
  money,
}: {
  title: string;
  rows: EconomyReport['flows']['minted'];
  money: (x: bigint) => string;
}) {
  return (
    <Table
      caption={title}
      head={['Source', 'Amount', 'Share']}
      rows={rows.map((r) => [r.source, money(r.amount), pct(r.shareBps)])}
      visibleCaption
    />
  );
}

function Table({
  caption,
  head,
  rows,
  visibleCaption = false,
}: {
  caption: string;
  head: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
  visibleCaption?: boolean;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className={visibleCaption ? 'text-left font-medium' : 'sr-only'}>{caption}</caption>
        <thead className="text-left">
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={`px-2 py-1 font-medium ${i > 0 ? 'text-right' : ''}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={head.length} className="px-2 py-1 text-slate-600 dark:text-slate-300">
                None in this range.
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.join('|')} className="border-t border-slate-200 dark:border-slate-800">
                {row.map((cell, i) => (
                  <td key={`${head[i]}`} className={`px-2 py-1 ${i > 0 ? 'text-right tabular-nums' : ''}`}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The editor's simulation of the range (supply expected) against the supply the guild had, and what it assumed. */
function ForecastChart({ report, money }: { report: EconomyReport; money: (x: bigint) => string }) {
  const forecast = report.forecast;
  if (!forecast) {
    return (
      <EmptyState title="No forecast for this range">
        A forecast needs members holding coins; a range whose simulation takes too long is left out.
      </EmptyState>
    );
  }
  const a = forecast.assumptions;
  const last = forecast.days[forecast.days.length - 1]!;
  const series = [
    { name: 'Expected (simulation)', values: forecast.days.map((d) => n(d.expected)) },
    { name: 'Actual', values: forecast.days.map((d) => n(d.actual)) },
  ];
  return (
    <div className="space-y-3" data-testid="forecast">
      <LineChart
        label={`Money supply expected against actual: by ${last.day}, ${money(last.expected)} expected and ${money(last.actual)} actual`}
        days={forecast.days.map((d) => d.day)}
        series={series}
      />
      <ul className="flex gap-4 text-sm">
        {series.map((s, i) => (
          <li key={s.name} className="flex items-center gap-2">
            <svg width="14" height="14" aria-hidden="true">
              <rect width="14" height="14" className={paletteClass(i)} />
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
      <p className="text-sm" data-testid="forecast-summary">
        By {last.day}: {money(last.expected)} expected, {money(last.actual)} actual (
        {last.actual >= last.expected ? '+' : '−'}
        {money(last.actual >= last.expected ? last.actual - last.expected : last.expected - last.actual)}).
      </p>
      <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="forecast-assumptions">
        What the simulation assumed: config version {a.configVersion}
        {a.publishedAt ? ` (published ${a.publishedAt.toISOString().slice(0, 10)})` : ' (the classic preset)'}
        , in force when the range began; {a.members.toLocaleString('en-US')} members
        {a.simulated < a.members ? ` (${a.simulated} simulated, scaled up)` : ''}, each starting at zero and
        behaving like the editor's preview population (seed {a.seed}); {a.days} days from the range's first
        day. Expected supply is the actual {money(a.startSupply)} at the start plus the simulated change.
      </p>
    </div>
  );
}
