import { tenantAdminProcedure } from '../../../procedures/tenant-admin';
import { createTRPCRouter } from '../../trpc';
import { listHandler } from './list.handler';
import { auditListInput } from './list.schema';

export const auditRouter = createTRPCRouter({
  list: tenantAdminProcedure.input(auditListInput).query(listHandler),
});
