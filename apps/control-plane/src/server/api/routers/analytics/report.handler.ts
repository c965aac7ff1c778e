import { resolveRange, withinHistory } from '../../../analytics/range';
import { buildReport } from '../../../analytics/report';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { ReportInput } from './report.schema';

/** The economic report of a range: every series, the findings and the week's anomalies. */
export async function reportHandler({ ctx, input }: HandlerArgs<TenantAdminContext, ReportInput>) {
  const now = ctx.services.now();
  const [record, { plan }] = await Promise.all([
    ctx.services.platform.tenant(ctx.tenantId),
    ctx.tenant.plan(),
  ]);
  const range = withinHistory(resolveRange(input, now), plan.limits.analyticsHistoryDays, now);
  return {
    ...(await buildReport(ctx.tenant, range, record?.preset ?? 'classic')),
    /** Set when the plan's analytics history cut the range (days it allows). */
    historyLimitDays: range.limitedTo,
  };
}
