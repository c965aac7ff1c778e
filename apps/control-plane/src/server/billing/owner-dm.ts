import { z } from 'zod';

/** Tells a guild's owner something about their plan (a payment failed), outside the app. */
export interface OwnerNotifier {
  notify(guildId: string, text: string): Promise<void>;
}

const guildResponse = z.object({ owner_id: z.string().regex(/^\d{1,20}$/) });
const channelResponse = z.object({ id: z.string().regex(/^\d{1,20}$/) });

/**
 * A direct message from the bot (DISCORD_BOT_TOKEN) to whoever owns the guild on Discord now: the owner
 * is read from Discord at the moment of sending, never from a copy kept here.
 */
export class DiscordOwnerDm implements OwnerNotifier {
  constructor(
    /** `apiUrl`: the versioned base (settings.ts, `versionedDiscordApi`). */
    private readonly bot: { token: string; apiUrl: string },
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async notify(guildId: string, text: string): Promise<void> {
    const guild = guildResponse.parse(await this.call('GET', `/guilds/${guildId}`));
    const channel = channelResponse.parse(
      await this.call('POST', '/users/@me/channels', { recipient_id: guild.owner_id }),
    );
    await this.call('POST', `/channels/${channel.id}/messages`, {
      content: text,
      allowed_mentions: { parse: [] },
    });
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await this.fetchFn(`${this.bot.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bot ${this.bot.token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`Discord answered ${response.status} to ${method} ${path}`);
    return response.json();
  }
}

/** Without a bot token nobody is messaged; the billing page's banner still tells the owner. */
export const noOwnerDm: OwnerNotifier = { notify: async () => {} };
