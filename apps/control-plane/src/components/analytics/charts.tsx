/**
 * The report's charts: small SVG drawn on the server (no chart library, no client JavaScript). Each has
 * a text alternative; the numbers themselves are in the tables beside them and in the CSV export.
 */

const W = 640;
const H = 200;
const PAD = { left: 8, right: 8, top: 12, bottom: 20 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

/** Fill and stroke classes, light and dark, for series in order. */
const PALETTE = [
  'fill-indigo-500 stroke-indigo-500 dark:fill-indigo-300 dark:stroke-indigo-300',
  'fill-emerald-600 stroke-emerald-600 dark:fill-emerald-300 dark:stroke-emerald-300',
  'fill-amber-500 stroke-amber-500 dark:fill-amber-300 dark:stroke-amber-300',
  'fill-sky-600 stroke-sky-600 dark:fill-sky-300 dark:stroke-sky-300',
  'fill-rose-600 stroke-rose-600 dark:fill-rose-300 dark:stroke-rose-300',
  'fill-slate-500 stroke-slate-500 dark:fill-slate-400 dark:stroke-slate-400',
];
export const paletteClass = (i: number) => PALETTE[i % PALETTE.length]!;
/** Lines take the palette's colour as their stroke only (a style wins over the palette's fill class). */
const NO_FILL = { fill: 'none' } as const;

function Frame({
  label,
  children,
  height = H,
}: {
  label: string;
  children: React.ReactNode;
  height?: number;
}) {
  return (
    <svg
      viewBox={`0 0 ${W} ${height}`}
      role="img"
      aria-label={label}
      className="h-auto w-full text-slate-500 dark:text-slate-400"
    >
      {children}
    </svg>
  );
}

function scale(min: number, max: number) {
  const lo = Math.min(min, 0);
  const hi = max > lo ? max : lo + 1;
  return (v: number) => PAD.top + PLOT_H - ((v - lo) / (hi - lo)) * PLOT_H;
}

/** Lines over days: the first and last day are labelled under the axis. */
export function LineChart({
  label,
  days,
  series,
}: {
  label: string;
  days: readonly string[];
  series: ReadonlyArray<{ name: string; values: readonly number[] }>;
}) {
  const all = series.flatMap((s) => s.values);
  const y = scale(Math.min(0, ...all), Math.max(0, ...all));
  const x = (i: number) => PAD.left + (days.length <= 1 ? PLOT_W / 2 : (i / (days.length - 1)) * PLOT_W);
  return (
    <Frame label={label}>
      <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="stroke-current" strokeWidth={1} />
      {series.map((s, k) => (
        <polyline
          key={s.name}
          points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          className={paletteClass(k)}
          style={NO_FILL}
          strokeWidth={2}
          vectorEffect="non-scaling-stroke"
        />
      ))}
      <AxisLabels days={days} />
    </Frame>
  );
}

function AxisLabels({ days }: { days: readonly string[] }) {
  if (days.length === 0) return null;
  return (
    <>
      <text x={PAD.left} y={H - 4} className="fill-current text-[11px]">
        {days[0]}
      </text>
      <text x={W - PAD.right} y={H - 4} textAnchor="end" className="fill-current text-[11px]">
        {days[days.length - 1]}
      </text>
    </>
  );
}

/** Bars per day stacked by source: `up` above the axis (faucets), `down` below it (sinks). */
export function StackedBars({
  label,
  days,
  up,
  down,
}: {
  label: string;
  days: readonly string[];
  up: ReadonlyArray<{ name: string; values: readonly number[] }>;
  down: ReadonlyArray<{ name: string; values: readonly number[] }>;
}) {
  const total = (groups: typeof up, i: number) => groups.reduce((a, g) => a + (g.values[i] ?? 0), 0);
  const maxUp = Math.max(0, ...days.map((_, i) => total(up, i)));
  const maxDown = Math.max(0, ...days.map((_, i) => total(down, i)));
  const span = maxUp + maxDown || 1;
  const zero = PAD.top + (maxUp / span) * PLOT_H;
  const unit = PLOT_H / span;
  const slot = PLOT_W / Math.max(1, days.length);
  const bar = Math.max(1, slot * 0.8);
  const rects = (groups: typeof up, direction: 1 | -1, offset: number) =>
    days.flatMap((day, i) => {
      let at = zero;
      return groups.map((g, k) => {
        const h = (g.values[i] ?? 0) * unit;
        const yTop = direction === 1 ? at - h : at;
        at = direction === 1 ? at - h : at + h;
        return (
          <rect
            key={`${day}-${direction}-${g.name}`}
            x={PAD.left + i * slot + (slot - bar) / 2}
            y={yTop}
            width={bar}
            height={h}
            className={paletteClass(k + offset)}
            strokeWidth={0}
          />
        );
      });
    });
  return (
    <Frame label={label}>
      {rects(up, 1, 0)}
      {rects(down, -1, up.length)}
      <line x1={PAD.left} x2={W - PAD.right} y1={zero} y2={zero} className="stroke-current" strokeWidth={1} />
      <AxisLabels days={days} />
    </Frame>
  );
}

/** The Lorenz curve (11 points, basis points) against the line of equality. */
export function LorenzChart({ label, lorenz }: { label: string; lorenz: readonly number[] }) {
  const size = 200;
  const p = (k: number, bps: number) =>
    `${(10 + (k / 10) * (size - 20)).toFixed(1)},${(size - 10 - (bps / 10_000) * (size - 20)).toFixed(1)}`;
  return (
    <svg
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      className="h-48 w-48 text-slate-500 dark:text-slate-400"
    >
      <polyline
        points={`${p(0, 0)} ${p(10, 10_000)}`}
        className="stroke-current"
        style={NO_FILL}
        strokeDasharray="4 3"
      />
      <polyline
        points={lorenz.map((bps, k) => p(k, bps)).join(' ')}
        className={paletteClass(0)}
        style={NO_FILL}
        strokeWidth={2.5}
      />
    </svg>
  );
}

/** Per game: the band its config allows (bar), the configured return (tick) and the observed one (dot). */
export function RtpChart({
  label,
  games,
}: {
  label: string;
  games: ReadonlyArray<{
    game: string;
    observed: number | null;
    configured: number | null;
    low: number | null;
    high: number | null;
  }>;
}) {
  const row = 28;
  const height = Math.max(row, games.length * row) + 8;
  const values = games
    .flatMap((g) => [g.observed, g.configured, g.low, g.high])
    .filter((v): v is number => v !== null);
  const lo = Math.min(0.8, ...values);
  const hi = Math.max(1.1, ...values);
  const left = 90;
  const x = (v: number) => left + ((v - lo) / (hi - lo)) * (W - left - PAD.right);
  return (
    <Frame label={label} height={height}>
      <line x1={x(1)} x2={x(1)} y1={0} y2={height} className="stroke-current" strokeDasharray="3 3" />
      {games.map((g, i) => {
        const cy = 4 + i * row + row / 2;
        return (
          <g key={g.game}>
            <text x={4} y={cy + 4} className="fill-current text-[12px]">
              {g.game}
            </text>
            {g.low !== null && g.high !== null ? (
              <rect
                x={x(g.low)}
                y={cy - 6}
                width={Math.max(1, x(g.high) - x(g.low))}
                height={12}
                className="fill-indigo-200 dark:fill-indigo-900"
              />
            ) : null}
            {g.configured !== null ? (
              <line
                x1={x(g.configured)}
                x2={x(g.configured)}
                y1={cy - 9}
                y2={cy + 9}
                className={paletteClass(0)}
                strokeWidth={2}
              />
            ) : null}
            {g.observed !== null ? (
              <circle cx={x(g.observed)} cy={cy} r={5} className={paletteClass(4)} />
            ) : null}
          </g>
        );
      })}
    </Frame>
  );
}
