import { baseProcedure } from '../api/trpc';

/** Anyone, logged in or not. Nothing behind it may read or change tenant data. */
export const publicProcedure = baseProcedure.meta({ tier: 'public' });
