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
    const whose = who === ctx.userId ? 'You have' : `${mention(who)} has`;
    const title = `💰 ${ctx.currency.name}`;
    if (!ctx.config.bank.enabled) {
      const balance = await ctx.tenant.balance(who);
      return reply(embed({ title, description: `${whose} **${formatAmount(balance, ctx.currency)}**.` }));
    }
    const { wallet, bank, total } = await ctx.tenant.holdings(who);
    return reply(
      embed({
        title,
        description: `${whose} **${formatAmount(total, ctx.currency)}** in all.`,
        fields: [
          { name: 'Wallet', value: formatAmount(wallet, ctx.currency), inline: true },
          { name: 'Bank', value: formatAmount(bank, ctx.currency), inline: true },
        ],
      }),
    );
  },
} satisfies Command;
