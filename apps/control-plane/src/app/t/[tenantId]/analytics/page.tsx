import type { Metadata } from 'next';
import Link from 'next/link';
import { RangePicker } from '../../../../components/analytics/range-picker';
import { ReportView } from '../../../../components/analytics/report-view';
import { rangeFromSearch } from '../../../../server/analytics/search-params';
import { serverCaller } from '../../../../trpc/server';

export const metadata: Metadata = { title: 'Analytics' };

export default async function AnalyticsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId } = await params;
  const { input, query } = rangeFromSearch(await searchParams);
  const report = await (await serverCaller()).analytics.report({ tenantId, ...input });
  const month = new Date().toISOString().slice(0, 7);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-semibold">Economic report</h1>
        <Link
          href={`/t/${tenantId}/report?month=${month}`}
          className="text-sm text-brand-700 underline dark:text-brand-300"
        >
          Monthly report (printable)
        </Link>
      </div>
      <RangePicker
        tenantId={tenantId}
        days={input.from === undefined ? (input.days ?? 30) : null}
        from={input.from}
        to={input.to}
      />
      <ReportView report={report} tenantId={tenantId} query={query} live />
    </div>
  );
}
