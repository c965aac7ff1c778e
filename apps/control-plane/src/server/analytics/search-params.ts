import { type ReportRangeInput, reportRangeSchema } from './range';

type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * A page's query string as a report range: `?days=90`, `?from=…&to=…` or `?month=YYYY-MM`. Anything
 * malformed falls back to the last 30 days rather than an error page. Returns the range and its query
 * string (for the CSV links).
 */
export function rangeFromSearch(params: SearchParams): { input: ReportRangeInput; query: string } {
  const raw = {
    days: first(params.days) === undefined ? undefined : Number(first(params.days)),
    from: first(params.from),
    to: first(params.to),
    month: first(params.month),
  };
  const parsed = reportRangeSchema.safeParse(raw);
  const input: ReportRangeInput = parsed.success
    ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined))
    : { days: 30 };
  const query = new URLSearchParams(Object.entries(input).map(([k, v]) => [k, String(v)])).toString();
  return { input, query };
}
