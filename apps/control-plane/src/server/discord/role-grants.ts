import { z } from 'zod';
import { roleGrantProblems } from './role-hierarchy';

/** Whether a publisher may have the bot hand out these roles in a guild (see role-hierarchy.ts). */
export interface RoleGrantChecker {
  /** Every reason the grants are refused; empty when they are allowed. */
  problems(o: { guildId: string; publisherId: string; roleIds: readonly string[] }): Promise<string[]>;
}

const snowflake = z.string().regex(/^\d{1,20}$/);
const guildResponse = z.object({
  id: snowflake,
  owner_id: snowflake,
  roles: z.array(
    z.object({
      id: snowflake,
      name: z.string(),
      position: z.number().int(),
      permissions: z.string().regex(/^\d+$/),
      managed: z.boolean().default(false),
    }),
  ),
});
const memberResponse = z.object({ roles: z.array(snowflake) });
const userResponse = z.object({ id: snowflake });

/**
 * Asks Discord, as the bot, for the guild's roles and owner, the publisher's roles and the bot's own:
 * the truth at the moment of publishing, not a copy kept here.
 */
export class DiscordRoleGrantChecker implements RoleGrantChecker {
  private botId: Promise<string> | undefined;

  constructor(
    /** `apiUrl`: the versioned base (settings.ts, `versionedDiscordApi`). */
    private readonly bot: { token: string; apiUrl: string },
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async problems(o: { guildId: string; publisherId: string; roleIds: readonly string[] }): Promise<string[]> {
    if (o.roleIds.length === 0) return [];
    const botId = await this.botUserId();
    const [guild, publisher, bot] = await Promise.all([
      this.get(`/guilds/${o.guildId}`, guildResponse),
      this.get(`/guilds/${o.guildId}/members/${o.publisherId}`, memberResponse),
      this.get(`/guilds/${o.guildId}/members/${botId}`, memberResponse),
    ]);
    if (!guild) return ['the bot is not in this server: add it first'];
    return roleGrantProblems({
      guild: { id: guild.id, ownerId: guild.owner_id, roles: guild.roles },
      publisher: publisher && { id: o.publisherId, roles: publisher.roles },
      bot,
      granted: o.roleIds,
    });
  }

  private botUserId(): Promise<string> {
    this.botId ??= this.get('/users/@me', userResponse).then((user) => {
      if (!user) throw new Error('Discord does not know the bot token');
      return user.id;
    });
    this.botId.catch(() => {
      this.botId = undefined;
    });
    return this.botId;
  }

  /** The parsed body, or null for 404 (an unknown guild or member); anything else unexpected throws. */
  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
    const response = await this.fetchFn(`${this.bot.apiUrl}${path}`, {
      headers: { authorization: `Bot ${this.bot.token}` },
    });
    if (response.status === 404 || response.status === 403) return null;
    if (!response.ok) throw new Error(`Discord answered ${response.status} to GET ${path}`);
    return schema.parse(await response.json());
  }
}

/** Without a bot token nothing can be checked, so no role grant is allowed. */
export const refuseRoleGrants: RoleGrantChecker = {
  async problems(o) {
    return o.roleIds.length === 0
      ? []
      : [
          'roles cannot be checked with Discord here (no DISCORD_BOT_TOKEN is configured), so items cannot grant them',
        ];
  },
};
