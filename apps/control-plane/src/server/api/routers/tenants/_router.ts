import { protectedProcedure } from '../../../procedures/protected';
import { tenantAdminProcedure } from '../../../procedures/tenant-admin';
import { createTRPCRouter } from '../../trpc';
import { createHandler } from './create.handler';
import { createTenantInput } from './create.schema';
import { getHandler } from './get.handler';
import { mineHandler } from './mine.handler';

export const tenantsRouter = createTRPCRouter({
  create: protectedProcedure.input(createTenantInput).mutation(createHandler),
  mine: protectedProcedure.query(mineHandler),
  get: tenantAdminProcedure.query(getHandler),
});
