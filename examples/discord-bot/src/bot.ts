import { type Economy, GuildmintError, RetryLaterError } from '@guildmint/sdk';
import { type ChatInputCommandInteraction, Client, Events, GatewayIntentBits } from 'discord.js';
import { commands } from './commands.js';

/** What each command answers. The interaction's id is the idempotency key: a retry never pays twice. */
async function answer(economy: Economy, interaction: ChatInputCommandInteraction): Promise<string> {
  const guild = economy.tenant(interaction.guildId!); // one economy per Discord server
  const member = interaction.user.id;
  const key = interaction.id;
  switch (interaction.commandName) {
    case 'daily': {
      const claim = await guild.claim('daily', member, { key });
      return `+${claim.amount} coins! You have ${await guild.balance(member)}.`;
    }
    case 'pay': {
      const to = interaction.options.getUser('member', true).id;
      const amount = BigInt(interaction.options.getInteger('amount', true));
      const receipt = await guild.pay({ from: member, to, amount, key });
      return `Paid ${receipt.amount} coins to <@${to}> (tax ${receipt.tax}). You have ${await guild.balance(member)}.`;
    }
    case 'coinflip': {
      const bet = BigInt(interaction.options.getInteger('bet', true));
      const side = interaction.options.getString('side', true) as 'heads' | 'tails'; // the command's two choices
      const round = await guild.play('coinflip', member, { bet, side, key });
      const result = round.payout > 0n ? `You won ${round.payout} coins` : `You lost ${bet} coins`;
      return `🪙 ${result}. You have ${await guild.balance(member)}.`;
    }
    default:
      return 'Unknown command.';
  }
}

/** A refusal the member can act on; anything else is a bug, logged. */
function explain(error: unknown): string {
  if (error instanceof RetryLaterError)
    return `Not yet: try again <t:${Math.floor(error.retryAt.getTime() / 1000)}:R>.`;
  if (error instanceof GuildmintError) {
    if (error.code === 'INSUFFICIENT_FUNDS') return "You don't have enough coins.";
    return `Refused (${error.code}): ${error.message}`;
  }
  console.error(error);
  return 'Something went wrong.';
}

export interface BotOptions {
  token: string;
  economy: Economy;
  /** Another Discord API base URL (the tests use the Discord simulator). */
  apiUrl?: string;
}

/** Logs in, registers the commands and answers them; `destroy()` the client to stop. */
export async function startBot(o: BotOptions): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(o.apiUrl && { rest: { api: o.apiUrl } }),
  });
  client.on(Events.InteractionCreate, async (interaction) => {
    if (!interaction.isChatInputCommand() || !interaction.inGuild()) return;
    const content = await answer(o.economy, interaction).catch(explain);
    await interaction.reply({ content, allowedMentions: { parse: [] } });
  });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(o.token);
  await (await ready).application.commands.set(commands);
  return client;
}
