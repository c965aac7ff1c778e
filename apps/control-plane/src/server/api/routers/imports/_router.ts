import { tenantOwnerProcedure } from '../../../procedures/tenant-owner';
import { createTRPCRouter } from '../../trpc';
import { dryRunHandler, exportAccessHandler, startHandler, statusHandler } from './imports.handler';
import { importSourceInput } from './imports.schema';

/** Moving in and out: the guild's owner only (an import mints the server's whole economy; an export reveals it). */
export const importsRouter = createTRPCRouter({
  dryRun: tenantOwnerProcedure.input(importSourceInput).mutation(dryRunHandler),
  start: tenantOwnerProcedure.input(importSourceInput).mutation(startHandler),
  status: tenantOwnerProcedure.query(statusHandler),
  exportAccess: tenantOwnerProcedure.query(exportAccessHandler),
});
