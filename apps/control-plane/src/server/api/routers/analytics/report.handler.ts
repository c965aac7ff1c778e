import { resolveRange } from '../../../analytics/range';
import { buildReport } from '../../../analytics/report';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { ReportInput } from './report.schema';

/** The economic report of a range: every series, the findings and the week's anomalies. */
export async function reportHandler({ ctx, input }: HandlerArgs<TenantAdminContext, ReportInput>) {
  const record = await ctx.services.platform.tenant(ctx.tenantId);
  return buildReport(ctx.tenant, resolveRange(input, ctx.services.now()), record?.preset ?? 'classic');
}
