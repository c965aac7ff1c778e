import { LEADERBOARD_ORDERS, type LeaderboardOrder } from '@guildmint/sdk';
import type { Command } from '../command.js';
import { formatAmount } from '../format.js';
import { embed, mention, reply } from '../replies.js';
import { stringOption } from '../slash.js';

const MEDALS = ['🥇', '🥈', '🥉'];
const TITLES: Record<LeaderboardOrder, string> = { wallet: 'wallets', bank: 'banks', total: 'wallet + bank' };

export default {
  name: 'leaderboard',
  define: (config) => [
    {
      name: 'leaderboard',
      description: 'The richest members of this server',
      // Without a bank every board is the wallet board.
      ...(config.bank.enabled && {
        options: [
          stringOption('by', 'Rank by wallet (default), bank or both', {
            choices: LEADERBOARD_ORDERS.map((order) => ({ name: TITLES[order], value: order })),
          }),
        ],
      }),
    },
  ],
  async run(ctx) {
    const by = (ctx.config.bank.enabled ? ctx.options.string('by') : undefined) ?? 'wallet';
    const order = LEADERBOARD_ORDERS.find((o) => o === by) ?? 'wallet';
    const top = await ctx.tenant.leaderboard({ limit: 10, by: order });
    const lines = top.map(
      (row, i) =>
        `${MEDALS[i] ?? `**${i + 1}.**`} ${mention(row.userId)} — ${formatAmount(row.balance, ctx.currency)}`,
    );
    return reply(
      embed({
        title: ctx.config.bank.enabled ? `🏆 Leaderboard (${TITLES[order]})` : '🏆 Leaderboard',
        description: lines.length
          ? lines.join('\n')
          : `No one has any ${ctx.currency.name} yet. Try \`/daily\`!`,
      }),
    );
  },
} satisfies Command;
