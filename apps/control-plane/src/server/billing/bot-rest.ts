import { z } from 'zod';

/** The bot's token and Discord's versioned REST base (settings.ts, `versionedDiscordApi`). */
export interface BotCredentials {
  token: string;
  apiUrl: string;
}

/** One call to Discord's REST API as the bot; a non-2xx answer throws. */
export async function callDiscordAsBot(
  bot: BotCredentials,
  fetchFn: typeof fetch,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetchFn(`${bot.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bot ${bot.token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`Discord answered ${response.status} to ${method} ${path}`);
  return response.json();
}

const channelResponse = z.object({ id: z.string().regex(/^\d{1,20}$/) });

/** A direct message from the bot to one user (opens the DM channel first). */
export async function sendDirectMessage(
  bot: BotCredentials,
  fetchFn: typeof fetch,
  userId: string,
  text: string,
): Promise<void> {
  const channel = channelResponse.parse(
    await callDiscordAsBot(bot, fetchFn, 'POST', '/users/@me/channels', { recipient_id: userId }),
  );
  await callDiscordAsBot(bot, fetchFn, 'POST', `/channels/${channel.id}/messages`, {
    content: text,
    allowed_mentions: { parse: [] },
  });
}
