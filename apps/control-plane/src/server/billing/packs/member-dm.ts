import { type BotCredentials, sendDirectMessage } from '../bot-rest';

/** Tells a member about their pack purchase (credited, failed) in Discord. */
export interface MemberNotifier {
  notify(memberId: string, text: string): Promise<void>;
}

/** A direct message from the bot (DISCORD_BOT_TOKEN) to the member. */
export class DiscordMemberDm implements MemberNotifier {
  constructor(
    private readonly bot: BotCredentials,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  notify(memberId: string, text: string): Promise<void> {
    return sendDirectMessage(this.bot, this.fetchFn, memberId, text);
  }
}

/** Without a bot token nobody is messaged; the balance still shows the credit. */
export const noMemberDm: MemberNotifier = { notify: async () => {} };
