import { protectedProcedure } from '../../../procedures/protected';
import { createTRPCRouter } from '../../trpc';
import { listHandler } from './list.handler';
import { presenceHandler } from './presence.handler';
import { presenceInput } from './presence.schema';

export const guildsRouter = createTRPCRouter({
  list: protectedProcedure.query(listHandler),
  presence: protectedProcedure.input(presenceInput).query(presenceHandler),
});
