import { tenantOwnerProcedure } from '../../../procedures/tenant-owner';
import { createTRPCRouter } from '../../trpc';
import {
  attemptsHandler,
  createHandler,
  deleteHandler,
  deliveriesHandler,
  listHandler,
  replayHandler,
  rotateHandler,
  updateHandler,
} from './endpoints.handler';
import {
  attemptsInput,
  createEndpointInput,
  deliveriesInput,
  endpointIdInput,
  replayInput,
  updateEndpointInput,
} from './webhooks.schema';

/** Outbound webhook endpoints and their delivery log: the guild's owner only (they carry the economy's events out). */
export const webhooksRouter = createTRPCRouter({
  list: tenantOwnerProcedure.query(listHandler),
  create: tenantOwnerProcedure.input(createEndpointInput).mutation(createHandler),
  update: tenantOwnerProcedure.input(updateEndpointInput).mutation(updateHandler),
  rotate: tenantOwnerProcedure.input(endpointIdInput).mutation(rotateHandler),
  delete: tenantOwnerProcedure.input(endpointIdInput).mutation(deleteHandler),
  deliveries: tenantOwnerProcedure.input(deliveriesInput).query(deliveriesHandler),
  attempts: tenantOwnerProcedure.input(attemptsInput).query(attemptsHandler),
  replay: tenantOwnerProcedure.input(replayInput).mutation(replayHandler),
});
