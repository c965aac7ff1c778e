import type { EventEmitter } from 'node:events';
import {
  type APIUser,
  type Client,
  Events,
  type GatewayReadyDispatchData,
  type RESTGetAPICurrentUserGuildsResult,
  Routes,
  type SessionInfo,
} from 'discord.js';
import { shardForGuild } from '../sharding.js';

// A client that RESUMEs a session another process started gets only the dispatches it missed: no READY,
// so discord.js never turns ready (no `client.user`, an empty guild cache). These two steps give it what
// READY would have: the bot user (REST) and, once ready, the shard's guilds (REST, one page per 200).

/**
 * When the client's first connect ends in RESUMED, hands discord.js the READY it did not get (the bot
 * user, no guilds, so it turns ready at once and feeds the replayed dispatches it queued).
 */
export function readyOnResume(client: Client, session: SessionInfo, applicationId: string): void {
  client.once(Events.ShardResume, (shardId) => {
    if (client.isReady()) return;
    void (async () => {
      const user = (await client.rest.get(Routes.user())) as APIUser;
      const data = {
        v: 10,
        user,
        guilds: [],
        session_id: session.sessionId,
        resume_gateway_url: session.resumeURL,
        shard: [shardId, session.shardCount],
        application: { id: applicationId, flags: 0 },
      } as unknown as GatewayReadyDispatchData;
      // discord.js's internal @discordjs/ws manager: the events its own READY arrives as.
      const ws = (client.ws as unknown as { _ws: EventEmitter | null })._ws;
      ws?.emit('ready', { data, shardId });
      ws?.emit('dispatch', { data: { op: 0, t: 'READY', s: session.sequence, d: data }, shardId });
    })().catch((error: unknown) => client.emit(Events.Error, error as Error));
  });
}

/** Puts the shard's guilds in the client's cache from REST (what GUILD_CREATE would have brought); returns their ids. */
export async function adoptShardGuilds(client: Client, shard: number, shardCount: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '200', ...(after !== undefined && { after }) });
    const page = (await client.rest.get(Routes.userGuilds(), { query })) as RESTGetAPICurrentUserGuildsResult;
    for (const guild of page) if (shardForGuild(guild.id, shardCount) === shard) ids.push(guild.id);
    if (page.length < 200) break;
    after = page[page.length - 1]!.id;
  }
  for (const id of ids) await client.guilds.fetch(id);
  return ids;
}
