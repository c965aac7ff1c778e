import { TRPCError } from '@trpc/server';
import { REPORT_TABLES, type ReportTable, reportCsv } from '../../../../../../server/analytics/csv';
import { rangeFromSearch } from '../../../../../../server/analytics/search-params';
import { serverCaller } from '../../../../../../trpc/server';

export const dynamic = 'force-dynamic';

/** One table of the report as CSV, for the same range and through the same permission check as the page. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ tenantId: string; table: string }> },
) {
  const { tenantId, table } = await params;
  if (!(REPORT_TABLES as readonly string[]).includes(table))
    return new Response('no such table', { status: 404 });
  const { input } = rangeFromSearch(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const report = await (await serverCaller()).analytics.report({ tenantId, ...input });
    return new Response(reportCsv(report, table as ReportTable), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${tenantId}-${table}.csv"`,
        'cache-control': 'private, no-store',
      },
    });
  } catch (error) {
    // Not logged in, or not this tenant's manager: the same 404 as the pages, so nothing leaks.
    if (error instanceof TRPCError && ['UNAUTHORIZED', 'FORBIDDEN'].includes(error.code))
      return new Response('not found', { status: 404 });
    throw error;
  }
}
