import { z } from 'zod';
import { type BotCredentials, callDiscordAsBot, sendDirectMessage } from './bot-rest';

/** Tells a guild's owner something about their plan (a payment failed), outside the app. */
export interface OwnerNotifier {
  notify(guildId: string, text: string): Promise<void>;
}

const guildResponse = z.object({ owner_id: z.string().regex(/^\d{1,20}$/) });

/**
 * A direct message from the bot (DISCORD_BOT_TOKEN) to whoever owns the guild on Discord now: the owner
 * is read from Discord at the moment of sending, never from a copy kept here.
 */
export class DiscordOwnerDm implements OwnerNotifier {
  constructor(
    private readonly bot: BotCredentials,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async notify(guildId: string, text: string): Promise<void> {
    const guild = guildResponse.parse(
      await callDiscordAsBot(this.bot, this.fetchFn, 'GET', `/guilds/${guildId}`),
    );
    await sendDirectMessage(this.bot, this.fetchFn, guild.owner_id, text);
  }
}

/** Without a bot token nobody is messaged; the billing page's banner still tells the owner. */
export const noOwnerDm: OwnerNotifier = { notify: async () => {} };
