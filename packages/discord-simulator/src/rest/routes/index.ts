import type { SimContext } from '../../context.js';
import { oauthRoutes } from '../../oauth/routes.js';
import { Router } from '../router.js';
import { applicationRoutes } from './application.js';
import { channelRoutes } from './channels.js';
import { commandRoutes } from './commands.js';
import { gatewayRoutes } from './gateway.js';
import { guildRoutes } from './guilds.js';
import { interactionRoutes } from './interactions.js';
import { monetizationRoutes } from './monetization.js';

/** Every REST route the simulator answers; anything else is a recorded 404. */
export function buildRouter(ctx: SimContext): Router {
  const router = new Router();
  gatewayRoutes(router, ctx);
  applicationRoutes(router, ctx);
  commandRoutes(router, ctx);
  interactionRoutes(router, ctx);
  guildRoutes(router, ctx);
  channelRoutes(router, ctx);
  monetizationRoutes(router, ctx);
  oauthRoutes(router, ctx);
  return router;
}
