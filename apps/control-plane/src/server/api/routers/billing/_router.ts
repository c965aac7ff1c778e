import { tenantAdminProcedure } from '../../../procedures/tenant-admin';
import { tenantOwnerProcedure } from '../../../procedures/tenant-owner';
import { createTRPCRouter } from '../../trpc';
import { checkoutHandler, portalHandler } from './checkout.handler';
import { checkoutInput } from './checkout.schema';
import { statusHandler } from './status.handler';

export const billingRouter = createTRPCRouter({
  status: tenantAdminProcedure.query(statusHandler),
  checkout: tenantOwnerProcedure.input(checkoutInput).mutation(checkoutHandler),
  portal: tenantOwnerProcedure.mutation(portalHandler),
});
