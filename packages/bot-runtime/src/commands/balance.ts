import type { Command } from '../command.js';
import { formatAmount } from '../format.js';
import { embed, mention, reply } from '../replies.js';
import { userOption } from '../slash.js';

export default {
  name: 'balance',
  define: () => [
    {
      name: 'balance',
      description: "Show your balance, or another member's",
      options: [userOption('member', 'Whose balance to show (default: yours)')],
    },
  ],
  async run(ctx) {
    const who = ctx.options.user('member') ?? ctx.userId;
    const balance = await ctx.tenant.balance(who);
    const whose = who === ctx.userId ? 'You have' : `${mention(who)} has`;
    return reply(
      embed({
        title: `💰 ${ctx.currency.name}`,
        description: `${whose} **${formatAmount(balance, ctx.currency)}**.`,
      }),
    );
  },
} satisfies Command;
