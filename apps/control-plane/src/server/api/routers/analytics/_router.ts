import { tenantAdminProcedure } from '../../../procedures/tenant-admin';
import { createTRPCRouter } from '../../trpc';
import { reportHandler } from './report.handler';
import { reportInput } from './report.schema';

export const analyticsRouter = createTRPCRouter({
  report: tenantAdminProcedure.input(reportInput).query(reportHandler),
});
