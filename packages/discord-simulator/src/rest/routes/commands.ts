import type { SimContext } from '../../context.js';
import { httpErrors } from '../../errors.js';
import type { CommandScope } from '../../state/commands.js';
import type { Router } from '../router.js';
import { guildOr404 } from './lookup.js';

/** Global (`/applications/{app}/commands`) and guild (`…/guilds/{guild}/commands`) commands. */
export function commandRoutes(router: Router, ctx: SimContext): void {
  const scope = (params: { applicationId: string; guildId?: string }): CommandScope => {
    if (params.applicationId !== ctx.settings.applicationId) throw httpErrors.unknownApplication();
    if (params.guildId === undefined) return null;
    return guildOr404(ctx, params.guildId).id;
  };

  for (const base of [
    '/applications/:applicationId/commands',
    '/applications/:applicationId/guilds/:guildId/commands',
  ] as const) {
    router.add('GET', base, ({ params }) => ({ status: 200, body: ctx.commands.list(scope(params)) }));
    router.add('PUT', base, ({ params, body }) => ({
      status: 200,
      body: ctx.commands.overwrite(scope(params), body.json),
    }));
    router.add('POST', base, ({ params, body }) => {
      const { command, created } = ctx.commands.upsert(scope(params), body.json);
      return { status: created ? 201 : 200, body: command };
    });
    router.add('GET', `${base}/:commandId`, ({ params }) => {
      const command = ctx.commands.get(scope(params), params.commandId);
      if (!command) throw httpErrors.unknownCommand();
      return { status: 200, body: command };
    });
    router.add('PATCH', `${base}/:commandId`, ({ params, body }) => {
      const command = ctx.commands.edit(scope(params), params.commandId, body.json);
      if (!command) throw httpErrors.unknownCommand();
      return { status: 200, body: command };
    });
    router.add('DELETE', `${base}/:commandId`, ({ params }) => {
      if (!ctx.commands.delete(scope(params), params.commandId)) throw httpErrors.unknownCommand();
      return { status: 204 };
    });
  }
}
