import { tenantOwnerProcedure } from '../../../procedures/tenant-owner';
import { createTRPCRouter } from '../../trpc';
import { createKeyInput, keyIdInput } from './create.schema';
import { createHandler, listHandler, revokeHandler, rotateHandler } from './keys.handler';

/** API keys: the guild's owner only (a key is access to the whole economy, beyond any one admin). */
export const apiKeysRouter = createTRPCRouter({
  list: tenantOwnerProcedure.query(listHandler),
  create: tenantOwnerProcedure.input(createKeyInput).mutation(createHandler),
  rotate: tenantOwnerProcedure.input(keyIdInput).mutation(rotateHandler),
  revoke: tenantOwnerProcedure.input(keyIdInput).mutation(revokeHandler),
});
