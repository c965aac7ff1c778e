import { SlashCommandBuilder } from 'discord.js';

// The bot's slash commands, as Discord registers them.
export const commands = [
  new SlashCommandBuilder().setName('daily').setDescription('Claim your daily coins'),
  new SlashCommandBuilder()
    .setName('pay')
    .setDescription('Pay coins to another member')
    .addUserOption((o) => o.setName('member').setDescription('Who gets the coins').setRequired(true))
    .addIntegerOption((o) =>
      o.setName('amount').setDescription('How many coins').setRequired(true).setMinValue(1),
    ),
  new SlashCommandBuilder()
    .setName('coinflip')
    .setDescription('Bet coins on a coin flip')
    .addIntegerOption((o) => o.setName('bet').setDescription('Your bet').setRequired(true).setMinValue(1))
    .addStringOption((o) =>
      o
        .setName('side')
        .setDescription('Heads or tails')
        .setRequired(true)
        .addChoices({ name: 'heads', value: 'heads' }, { name: 'tails', value: 'tails' }),
    ),
].map((command) => command.toJSON());
