import { groupDigits, percent } from './format.js';
import { ratioBps } from './measures.js';
import type { SimulationDay, SimulationResult } from './types.js';

export interface Column {
  header: string;
  /** Numbers read best right-aligned. Default: left. */
  align?: 'left' | 'right';
}

/** A plain-text table: a header, a rule, then one line per row, columns padded to fit. */
export function renderTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (value: string, i: number) =>
    columns[i]?.align === 'right' ? value.padStart(widths[i]!) : value.padEnd(widths[i]!);
  const lines = [
    columns.map((c, i) => cell(c.header, i)).join('  '),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((r) => columns.map((_, i) => cell(r[i] ?? '', i)).join('  ')),
  ];
  return lines.map((l) => l.trimEnd()).join('\n');
}

/** The trajectory week by week (the last week may be shorter), then month by month. */
export function trajectoryTables(
  result: SimulationResult,
  weekDays = 7,
): { weekly: string; monthly: string } {
  const weeks: string[][] = [];
  for (let first = 0; first < result.days.length; first += weekDays) {
    const week = result.days.slice(first, first + weekDays);
    const last = week[week.length - 1]!;
    const supplyBefore = first === 0 ? 0n : result.days[first - 1]!.supply;
    const total = (of: (d: SimulationDay) => bigint) => week.reduce((sum, d) => sum + of(d), 0n);
    const change = last.supply - supplyBefore;
    const growth = ratioBps(change, supplyBefore);
    weeks.push([
      `${week[0]!.day}–${last.day}`,
      last.date,
      groupDigits(last.supply),
      groupDigits(total((d) => d.minted)),
      groupDigits(total((d) => d.burned)),
      groupDigits(total((d) => d.houseTake)),
      groupDigits(change),
      growth === null ? '—' : percent(growth),
      last.gini.toFixed(3),
      String(Math.round(week.reduce((n, d) => n + d.activeMembers, 0) / week.length)),
    ]);
  }
  const weekly = renderTable(
    [
      { header: 'days' },
      { header: 'to' },
      { header: 'supply', align: 'right' },
      { header: 'minted', align: 'right' },
      { header: 'burned', align: 'right' },
      { header: 'house', align: 'right' },
      { header: 'change', align: 'right' },
      { header: 'growth', align: 'right' },
      { header: 'gini', align: 'right' },
      { header: 'active/day', align: 'right' },
    ],
    weeks,
  );
  const monthly = renderTable(
    [
      { header: 'month' },
      { header: 'days' },
      { header: 'supply at start', align: 'right' },
      { header: 'supply at end', align: 'right' },
      { header: 'minted', align: 'right' },
      { header: 'burned', align: 'right' },
      { header: 'house', align: 'right' },
      { header: 'inflation', align: 'right' },
    ],
    result.monthly.map((m) => [
      String(m.month),
      `${m.firstDay}–${m.lastDay}`,
      groupDigits(m.supplyStart),
      groupDigits(m.supplyEnd),
      groupDigits(m.minted),
      groupDigits(m.burned),
      groupDigits(m.houseTake),
      m.inflationBps === null ? '— (starts empty)' : percent(m.inflationBps),
    ]),
  );
  return { weekly, monthly };
}
