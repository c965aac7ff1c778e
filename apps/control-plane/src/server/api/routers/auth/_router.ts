import { publicProcedure } from '../../../procedures/public';
import { createTRPCRouter } from '../../trpc';
import { sessionHandler } from './session.handler';

export const authRouter = createTRPCRouter({
  session: publicProcedure.query(sessionHandler),
});
