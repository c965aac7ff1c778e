import type { Command } from '../command.js';
import { formatAmount } from '../format.js';
import { embed, mention, reply } from '../replies.js';
import { userOption } from '../slash.js';

/** `/profile [member]`: wallet, bank, rank, streak and the most valuable items. */
export default {
  name: 'profile',
  define: () => [
    {
      name: 'profile',
      description: "Your profile, or another member's",
      options: [userOption('member', 'Whose profile (default: yours)')],
    },
  ],
  async run(ctx) {
    const who = ctx.options.user('member') ?? ctx.userId;
    const p = await ctx.tenant.profile(who);
    const money = (amount: bigint) => formatAmount(amount, ctx.currency);
    const fields = [
      { name: 'Wallet', value: money(p.wallet), inline: true },
      ...(ctx.config.bank.enabled || p.bank > 0n
        ? [{ name: 'Bank', value: money(p.bank), inline: true }]
        : []),
      { name: 'Rank', value: p.rank === null ? '—' : `#${p.rank} of ${p.ranked}`, inline: true },
    ];
    if (p.streak) {
      fields.push({
        name: `Streak (${p.streak.name})`,
        value: `${p.streak.current} day${p.streak.current === 1 ? '' : 's'}`,
        inline: true,
      });
    }
    fields.push({
      name: 'Inventory',
      value: p.highlights.length
        ? [
            ...p.highlights.map((h) => `${h.quantity} × ${h.name}`),
            ...(p.items > p.highlights.length ? [`…and ${p.items - p.highlights.length} more`] : []),
          ].join('\n')
        : 'Nothing yet',
      inline: false,
    });
    return reply(
      embed({ title: '🪪 Profile', description: `${mention(who)} · **${money(p.total)}** in all`, fields }),
    );
  },
} satisfies Command;
