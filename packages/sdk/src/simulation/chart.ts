import { compactNumber, percent } from './format.js';
import { MONTH_DAYS } from './measures.js';
import type { SimulationDay, SimulationMonth, SimulationResult } from './types.js';

// A small hand-written SVG line chart: three panels over the same days (money supply; minted, burned and
// the house's take per day; Gini), month boundaries marked with each month's inflation. A charting
// library would be a heavy dependency for one static picture; the control plane draws its own (recharts).

export interface ChartOptions {
  /** Pixels; the height follows. Default 960. */
  width?: number;
  title?: string;
  subtitle?: string;
  /** The currency's name, shown with the amount panels' titles. */
  unit?: string;
}

interface Series {
  label: string;
  color: string;
  values: number[];
  dashed?: boolean;
}

interface Panel {
  title: string;
  height: number;
  series: Series[];
  format: (value: number) => string;
  /** Shade under the first series (the supply). */
  area?: boolean;
  /** Lowest value the axis must show (0 for amounts, so that growth is not exaggerated). */
  floor?: number;
}

const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
const MARGIN = { left: 84, right: 28 };
const COLORS = {
  supply: '#2563eb',
  minted: '#16a34a',
  burned: '#dc2626',
  house: '#d97706',
  gini: '#7c3aed',
  axis: '#475569',
  grid: '#e2e8f0',
  text: '#0f172a',
  muted: '#64748b',
};

export function renderChart(result: SimulationResult, o: ChartOptions = {}): string {
  const width = o.width ?? 960;
  const days = result.days;
  const amount = (of: (d: SimulationDay) => bigint) => days.map((d) => Number(of(d)));
  const flows: Series[] = [
    { label: 'minted', color: COLORS.minted, values: amount((d) => d.minted) },
    { label: 'burned (sinks)', color: COLORS.burned, values: amount((d) => d.burned) },
  ];
  if (days.some((d) => d.houseTake !== 0n)) {
    flows.push({
      label: 'house take',
      color: COLORS.house,
      values: amount((d) => d.houseTake),
      dashed: true,
    });
  }
  const panels: Panel[] = [
    {
      title: o.unit ? `Money supply (${o.unit})` : 'Money supply',
      height: 230,
      series: [{ label: 'supply', color: COLORS.supply, values: amount((d) => d.supply) }],
      format: compactNumber,
      area: true,
      floor: 0,
    },
    {
      title: o.unit ? `Daily flows (${o.unit})` : 'Daily flows',
      height: 190,
      series: flows,
      format: compactNumber,
      floor: 0,
    },
    {
      title: 'Wealth concentration (Gini)',
      height: 140,
      series: [{ label: 'Gini', color: COLORS.gini, values: days.map((d) => d.gini) }],
      format: (v) => v.toFixed(2),
      floor: 0,
    },
  ];

  const header = o.subtitle ? 104 : 80;
  const panelGap = 58;
  const footer = 44;
  const height = header + panels.reduce((sum, p) => sum + p.height + panelGap, 0) - panelGap + footer;
  const plotLeft = MARGIN.left;
  const plotRight = width - MARGIN.right;
  const firstDay = days[0]?.day ?? 1;
  const lastDay = days[days.length - 1]?.day ?? 1;
  const xDomain: [number, number] =
    firstDay === lastDay ? [firstDay - 0.5, lastDay + 0.5] : [firstDay, lastDay];
  const x = scale(xDomain, [plotLeft, plotRight]);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(plotLeft, 30, o.title ?? 'Economy simulation', { size: 20, weight: 600 }),
  );
  if (o.subtitle) out.push(text(plotLeft, 54, o.subtitle, { size: 13, color: COLORS.muted }));

  const dayTicks = niceTicks(xDomain[0], xDomain[1], 10).filter(
    (t) => Number.isInteger(t) && t >= xDomain[0] && t <= xDomain[1],
  );
  let top = header;
  panels.forEach((panel, i) => {
    const bottom = top + panel.height;
    const values = panel.series.flatMap((s) => s.values).filter(Number.isFinite);
    const low = Math.min(panel.floor ?? Number.POSITIVE_INFINITY, ...values);
    const ticks = niceTicks(low, Math.max(...values, low + 1e-9), 5);
    const y = scale([ticks[0]!, ticks[ticks.length - 1]!], [bottom, top]);

    out.push(text(plotLeft, top - 14, panel.title, { size: 14, weight: 600 }));
    out.push(legend(panel.series, plotRight, top - 14));
    for (const t of ticks) {
      out.push(line(plotLeft, y(t), plotRight, y(t), t === 0 ? COLORS.axis : COLORS.grid));
      out.push(
        text(plotLeft - 8, y(t) + 4, panel.format(t), { size: 11, anchor: 'end', color: COLORS.muted }),
      );
    }
    for (const t of dayTicks) {
      out.push(line(x(t), bottom, x(t), bottom + 4, COLORS.axis));
      if (i === panels.length - 1 || panels.length === 1) {
        out.push(text(x(t), bottom + 18, String(t), { size: 11, anchor: 'middle', color: COLORS.muted }));
      }
    }
    out.push(line(plotLeft, bottom, plotRight, bottom, COLORS.axis));
    out.push(line(plotLeft, top, plotLeft, bottom, COLORS.axis));
    for (const month of result.monthly.slice(1)) {
      const at = x(month.firstDay - 0.5);
      out.push(line(at, top, at, bottom, COLORS.muted, '4 4'));
      if (i === 0) out.push(monthLabel(month, at, top + 14, plotRight));
    }
    const days1 = days.map((d) => d.day);
    panel.series.forEach((s, j) => {
      const points = s.values.map((v, k) => [x(days1[k]!), y(v)] as const);
      if (panel.area && j === 0 && points.length > 0) {
        const first = points[0]!;
        const last = points[points.length - 1]!;
        out.push(
          `<path d="${linePath(points)} L${fmt(last[0])},${fmt(y(ticks[0]!))} L${fmt(first[0])},${fmt(y(ticks[0]!))} Z" fill="${s.color}" fill-opacity="0.08" stroke="none"/>`,
        );
      }
      out.push(
        `<path d="${linePath(points)}" fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="6 3"' : ''}/>`,
      );
    });
    top = bottom + panelGap;
  });
  out.push(
    text((plotLeft + plotRight) / 2, height - 14, 'simulated day', {
      size: 12,
      anchor: 'middle',
      color: COLORS.muted,
    }),
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Round numbers (1, 2 or 5 × 10^k apart) that cover [min, max] in about `count` steps. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) / 2;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let t = start; t < max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** An SVG path through the points, in order. */
export function linePath(points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${fmt(px)},${fmt(py)}`).join(' ');
}

export function escapeXml(value: string): string {
  return value.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/** "month 2: +28.5 %" beside the month's first day; a short last month says how many days it has. */
function monthLabel(month: SimulationMonth, at: number, baseline: number, right: number): string {
  const partial = month.days < MONTH_DAYS ? ` (${month.days} days)` : '';
  const label =
    month.inflationBps === null
      ? `month ${month.month}${partial}`
      : `month ${month.month}${partial}: ${percent(month.inflationBps)}`;
  // Near the right edge the label goes on the line's left.
  const flip = at + label.length * 6 + 6 > right;
  return text(flip ? at - 6 : at + 6, baseline, label, {
    size: 11,
    color: COLORS.muted,
    ...(flip && { anchor: 'end' as const }),
  });
}

function legend(series: readonly Series[], right: number, baseline: number): string {
  const parts: string[] = [];
  let at = right;
  for (const s of [...series].reverse()) {
    const labelWidth = s.label.length * 6.6;
    at -= labelWidth;
    parts.push(text(at, baseline, s.label, { size: 12, color: COLORS.text }));
    at -= 26;
    parts.push(
      `<line x1="${fmt(at)}" y1="${fmt(baseline - 4)}" x2="${fmt(at + 20)}" y2="${fmt(baseline - 4)}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 3"' : ''}/>`,
    );
    at -= 16;
  }
  return parts.join('\n');
}

function scale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

function line(x1: number, y1: number, x2: number, y2: number, color: string, dash?: string): string {
  return `<line x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}" stroke="${color}" stroke-width="1"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
}

function text(
  x: number,
  y: number,
  content: string,
  o: { size: number; weight?: number; anchor?: 'start' | 'middle' | 'end'; color?: string },
): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}" font-size="${o.size}"${o.weight ? ` font-weight="${o.weight}"` : ''}${o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : ''} fill="${o.color ?? COLORS.text}">${escapeXml(content)}</text>`;
}

function fmt(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 10) / 10) : '0';
}
