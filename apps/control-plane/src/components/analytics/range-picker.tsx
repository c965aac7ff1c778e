import Link from 'next/link';
import { RANGE_DAYS } from '../../server/analytics/range';
import { buttonClass } from '../ui/button';

/** Preset ranges as links and a custom range as a plain GET form: works without JavaScript. */
export function RangePicker({
  tenantId,
  days,
  from,
  to,
}: {
  tenantId: string;
  days: number | null;
  from?: string | undefined;
  to?: string | undefined;
}) {
  const base = `/t/${tenantId}/analytics`;
  return (
    <div className="flex flex-wrap items-end gap-3 print:hidden">
      <nav aria-label="Time range" className="flex gap-1">
        {RANGE_DAYS.map((d) => (
          <Link
            key={d}
            href={`${base}?days=${d}`}
            aria-current={days === d ? 'page' : undefined}
            className={buttonClass(days === d ? 'primary' : 'secondary', 'sm')}
          >
            {d === 365 ? '1 year' : `${d} days`}
          </Link>
        ))}
      </nav>
      <form action={base} method="get" className="flex flex-wrap items-end gap-2 text-sm">
        <label className="flex flex-col">
          From
          <input
            type="date"
            name="from"
            defaultValue={from}
            required
            className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
        <label className="flex flex-col">
          To
          <input
            type="date"
            name="to"
            defaultValue={to}
            required
            className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
        <button type="submit" className={buttonClass('secondary', 'sm')}>
          Show
        </button>
      </form>
    </div>
  );
}
