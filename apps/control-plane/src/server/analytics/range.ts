import { z } from 'zod';

/** The report's preset ranges, in days ending today. */
export const RANGE_DAYS = [7, 30, 90, 365] as const;
export type RangeDays = (typeof RANGE_DAYS)[number];

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

/** A preset range, a custom one (both ends), or a calendar month (the monthly report). */
export const reportRangeSchema = z
  .object({
    days: z.union([z.literal(7), z.literal(30), z.literal(90), z.literal(365)]).default(30),
    from: localDay.optional(),
    to: localDay.optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')
      .optional(),
  })
  .refine((r) => (r.from === undefined) === (r.to === undefined), {
    message: 'a custom range needs both from and to',
    path: ['from'],
  });
export type ReportRangeInput = z.input<typeof reportRangeSchema>;

export interface ResolvedRange {
  /** Noon UTC of the first and last day: the same calendar day in every zone from −11 to +11 hours. */
  from: Date;
  to: Date;
  /** What the page calls it: "Last 30 days", "2026-03-01 to 2026-03-31", "March 2026". */
  label: string;
  /** The range of the same length just before (for changes and the price index). */
  previous: { from: Date; to: Date };
}

const DAY_MS = 86_400_000;
const noon = (day: string) => new Date(`${day}T12:00:00Z`);

export function resolveRange(input: z.output<typeof reportRangeSchema>, now: Date): ResolvedRange {
  let from: Date;
  let to: Date;
  let label: string;
  if (input.month !== undefined) {
    from = noon(`${input.month}-01`);
    const [year, month] = input.month.split('-').map(Number) as [number, number];
    const last = noon(new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10));
    to = last.getTime() > now.getTime() ? now : last;
    label = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      from,
    );
  } else if (input.from !== undefined && input.to !== undefined) {
    from = noon(input.from);
    to = noon(input.to);
    label = `${input.from} to ${input.to}`;
  } else {
    to = now;
    from = new Date(now.getTime() - (input.days - 1) * DAY_MS);
    label = `Last ${input.days} days`;
  }
  const span = Math.max(0, Math.round((to.getTime() - from.getTime()) / DAY_MS));
  const previousTo = new Date(from.getTime() - DAY_MS);
  return {
    from,
    to,
    label,
    previous: { from: new Date(previousTo.getTime() - span * DAY_MS), to: previousTo },
  };
}

/**
 * The range cut to the plan's analytics history (`analyticsHistoryDays` days up to now): a range starting
 * earlier starts at the limit instead, and `limitedTo` says so, for the page to tell the owner. A range
 * wholly before the limit keeps its length, moved to the limit's start.
 */
export function withinHistory(
  range: ResolvedRange,
  historyDays: number,
  now: Date,
): ResolvedRange & { limitedTo: number | null } {
  const earliest = new Date(now.getTime() - (historyDays - 1) * DAY_MS);
  if (range.from.getTime() >= earliest.getTime()) return { ...range, limitedTo: null };
  const length = range.to.getTime() - range.from.getTime();
  const to =
    range.to.getTime() >= earliest.getTime()
      ? range.to
      : new Date(Math.min(now.getTime(), earliest.getTime() + length));
  return {
    ...range,
    from: earliest,
    to,
    label: `${range.label} (last ${historyDays} days of it)`,
    limitedTo: historyDays,
  };
}
