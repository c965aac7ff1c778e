import type { APIGatewayBotInfo, APIGatewayInfo } from 'discord-api-types/v10';
import type { SimContext } from '../../context.js';
import type { Router } from '../router.js';

export function gatewayRoutes(router: Router, ctx: SimContext): void {
  router.add(
    'GET',
    '/gateway',
    () => ({ status: 200, body: { url: ctx.gatewayUrl() } satisfies APIGatewayInfo }),
    { auth: false },
  );

  router.add('GET', '/gateway/bot', () => {
    const body: APIGatewayBotInfo = {
      url: ctx.gatewayUrl(),
      shards: ctx.settings.recommendedShards,
      // Plenty of sessions: @discordjs/ws refuses to start with fewer remaining than shards.
      session_start_limit: {
        total: 1000,
        remaining: 1000,
        reset_after: 0,
        max_concurrency: ctx.settings.maxConcurrency,
      },
    };
    return { status: 200, body };
  });
}
