import type { Command } from '../command.js';
import { formatAmount } from '../format.js';
import { embed, mention, reply } from '../replies.js';

const MEDALS = ['🥇', '🥈', '🥉'];

export default {
  name: 'leaderboard',
  define: () => [{ name: 'leaderboard', description: 'The richest members of this server' }],
  async run(ctx) {
    const top = await ctx.tenant.leaderboard({ limit: 10 });
    const lines = top.map(
      (row, i) =>
        `${MEDALS[i] ?? `**${i + 1}.**`} ${mention(row.userId)} — ${formatAmount(row.balance, ctx.currency)}`,
    );
    return reply(
      embed({
        title: `🏆 Leaderboard`,
        description: lines.length
          ? lines.join('\n')
          : `No one has any ${ctx.currency.name} yet. Try \`/daily\`!`,
      }),
    );
  },
} satisfies Command;
