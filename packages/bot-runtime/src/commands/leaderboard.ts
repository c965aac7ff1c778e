import { LEADERBOARD_ORDERS, type LeaderboardOrder } from '@guildmint/sdk';
import type { Command, CommandContext } from '../command.js';
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
    const page = publicPage(ctx, order);
    return reply(
      embed({
        title: ctx.config.bank.enabled ? `🏆 Leaderboard (${TITLES[order]})` : '🏆 Leaderboard',
        description: [
          lines.length ? lines.join('\n') : `No one has any ${ctx.currency.name} yet. Try \`/daily\`!`,
          ...(page ? [`[See the whole board](${page})`] : []),
        ].join('\n\n'),
      }),
    );
  },
} satisfies Command;

/** The guild's public leaderboard page, when its config turns it on and the bot knows the control plane's address. */
function publicPage(ctx: CommandContext, order: LeaderboardOrder): string | null {
  if (!ctx.config.publicLeaderboard || ctx.publicUrl === null) return null;
  const query = order === 'wallet' ? '' : `?by=${order}`;
  return `${ctx.publicUrl.replace(/\/+$/, '')}/leaderboard/${ctx.guildId}${query}`;
}
