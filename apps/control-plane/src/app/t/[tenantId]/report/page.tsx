import type { Metadata } from 'next';
import { ReportView } from '../../../../components/analytics/report-view';
import { rangeFromSearch } from '../../../../server/analytics/search-params';
import { serverCaller } from '../../../../trpc/server';

export const metadata: Metadata = { title: 'Monthly economic report' };

/** Printed, only the report remains: the site's header, the tabs and the buttons are left out. */
const PRINT_CSS = `@media print {
  header, nav, .print\\:hidden { display: none !important; }
  body { background: white; color: black; }
  section { break-inside: avoid; }
  @page { margin: 14mm; }
}`;

export default async function MonthlyReportPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId } = await params;
  const search = await searchParams;
  const month = typeof search.month === 'string' ? search.month : new Date().toISOString().slice(0, 7);
  const { input, query } = rangeFromSearch({ month });
  const report = await (await serverCaller()).analytics.report({ tenantId, ...input });
  return (
    <article className="space-y-6" data-testid="monthly-report">
      <style>{PRINT_CSS}</style>
      <h1 className="text-2xl font-bold">Monthly economic report: {report.range.label}</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300 print:hidden">
        Print this page (or save it as PDF) to share it with your community.
      </p>
      <ReportView report={report} tenantId={tenantId} query={query} live={false} />
    </article>
  );
}
