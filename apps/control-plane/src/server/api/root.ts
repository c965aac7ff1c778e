import { analyticsRouter } from './routers/analytics/_router';
import { apiKeysRouter } from './routers/api-keys/_router';
import { auditRouter } from './routers/audit/_router';
import { authRouter } from './routers/auth/_router';
import { billingRouter } from './routers/billing/_router';
import { economyRouter } from './routers/economy/_router';
import { guildsRouter } from './routers/guilds/_router';
import { importsRouter } from './routers/imports/_router';
import { membersRouter } from './routers/members/_router';
import { packsRouter } from './routers/packs/_router';
import { tenantsRouter } from './routers/tenants/_router';
import { webhooksRouter } from './routers/webhooks/_router';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  guilds: guildsRouter,
  tenants: tenantsRouter,
  economy: economyRouter,
  members: membersRouter,
  audit: auditRouter,
  billing: billingRouter,
  apiKeys: apiKeysRouter,
  webhooks: webhooksRouter,
  analytics: analyticsRouter,
  imports: importsRouter,
  packs: packsRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP: `createCaller(ctx).members.grant(…)` (tests, server components). */
export const createCaller = createCallerFactory(appRouter);
