import { tenantAdminProcedure } from '../../../procedures/tenant-admin';
import { createTRPCRouter } from '../../trpc';
import { currentHandler } from './current.handler';
import { historyHandler } from './history.handler';
import { previewHandler } from './preview.handler';
import { previewInput } from './preview.schema';
import { publishHandler } from './publish.handler';
import { publishInput } from './publish.schema';
import { rollbackHandler } from './rollback.handler';
import { simulateHandler } from './simulate.handler';
import { simulateInput } from './simulate.schema';
import { versionHandler } from './version.handler';
import { versionInput } from './version.schema';

export const economyRouter = createTRPCRouter({
  current: tenantAdminProcedure.query(currentHandler),
  // A query with a body-sized input: the editor sends it with POST (see trpc/react.tsx).
  preview: tenantAdminProcedure.input(previewInput).query(previewHandler),
  simulate: tenantAdminProcedure.input(simulateInput).query(simulateHandler),
  publish: tenantAdminProcedure.input(publishInput).mutation(publishHandler),
  history: tenantAdminProcedure.query(historyHandler),
  version: tenantAdminProcedure.input(versionInput).query(versionHandler),
  rollback: tenantAdminProcedure.input(versionInput).mutation(rollbackHandler),
});
