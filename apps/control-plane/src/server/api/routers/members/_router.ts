import { tenantAdminProcedure } from '../../../procedures/tenant-admin';
import { createTRPCRouter } from '../../trpc';
import { adjustInput } from './adjust.schema';
import { freezeHandler, unfreezeHandler } from './freeze.handler';
import { freezeInput } from './freeze.schema';
import { getHandler } from './get.handler';
import { memberInput } from './get.schema';
import { grantHandler } from './grant.handler';
import { historyHandler } from './history.handler';
import { historyInput } from './history.schema';
import { listHandler } from './list.handler';
import { listMembersInput } from './list.schema';
import { revokeHandler } from './revoke.handler';
import { rollbackHandler } from './rollback.handler';
import { rollbackInput } from './rollback.schema';

export const membersRouter = createTRPCRouter({
  list: tenantAdminProcedure.input(listMembersInput).query(listHandler),
  get: tenantAdminProcedure.input(memberInput).query(getHandler),
  history: tenantAdminProcedure.input(historyInput).query(historyHandler),
  grant: tenantAdminProcedure.input(adjustInput).mutation(grantHandler),
  revoke: tenantAdminProcedure.input(adjustInput).mutation(revokeHandler),
  freeze: tenantAdminProcedure.input(freezeInput).mutation(freezeHandler),
  unfreeze: tenantAdminProcedure.input(freezeInput).mutation(unfreezeHandler),
  rollback: tenantAdminProcedure.input(rollbackInput).mutation(rollbackHandler),
});
