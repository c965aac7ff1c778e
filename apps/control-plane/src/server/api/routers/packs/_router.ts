import { tenantAdminProcedure } from '../../../procedures/tenant-admin';
import { tenantOwnerProcedure } from '../../../procedures/tenant-owner';
import { createTRPCRouter } from '../../trpc';
import { archiveHandler, defineHandler, onboardHandler, statusHandler } from './packs.handler';
import { archiveInput, defineInput, statusInput } from './packs.schema';

/** Currency packs: managers see them; only the owner connects Stripe and sets what is sold. */
export const packsRouter = createTRPCRouter({
  status: tenantAdminProcedure.input(statusInput).query(statusHandler),
  onboard: tenantOwnerProcedure.mutation(onboardHandler),
  define: tenantOwnerProcedure.input(defineInput).mutation(defineHandler),
  archive: tenantOwnerProcedure.input(archiveInput).mutation(archiveHandler),
});
