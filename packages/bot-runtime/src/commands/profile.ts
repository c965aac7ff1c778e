import type { Profile } from '@guildmint/sdk';
import type { Command } from '../command.js';
import { formatAmount } from '../format.js';
import { embed, mention, reply } from '../replies.js';
import { userOption } from '../slash.js';

/**
 * `/profile [member]`: wallet, bank, rank, level, streak and the most valuable items, as the config's
 * `profile` section says. Not registered when it is off; without `viewOthers`, the SDK refuses another
 * member's profile to the one asking (FORBIDDEN, told as "Not allowed").
 */
export default {
  name: 'profile',
  define: ({ profile }) =>
    profile.enabled
      ? [
          {
            name: 'profile',
            description: profile.viewOthers ? "Your profile, or another member's" : 'Your profile',
            // Kept without viewOthers: asking for someone else then gets a refusal that says why.
            options: [userOption('member', 'Whose profile (default: yours)')],
          },
        ]
      : [],
  async run(ctx) {
    const who = ctx.options.user('member') ?? ctx.userId;
    const p = await ctx.tenant.profile(who, { viewer: ctx.userId });
    const money = (amount: bigint) => formatAmount(amount, ctx.currency);
    const withBank = p.shown.bank && (ctx.config.bank.enabled || p.bank > 0n);
    const fields = [
      { name: 'Wallet', value: money(p.wallet), inline: true },
      ...(withBank ? [{ name: 'Bank', value: money(p.bank), inline: true }] : []),
      ...(p.shown.rank
        ? [{ name: 'Rank', value: p.rank === null ? '—' : `#${p.rank} of ${p.ranked}`, inline: true }]
        : []),
    ];
    if (p.level) {
      fields.push({ name: 'Level', value: `${p.level.level} (${p.level.xp} XP)`, inline: true });
    }
    if (p.streak) {
      fields.push({
        name: `Streak (${p.streak.name})`,
        value: `${p.streak.current} day${p.streak.current === 1 ? '' : 's'}`,
        inline: true,
      });
    }
    if (p.shown.inventory) fields.push({ name: 'Inventory', value: inventoryLine(p), inline: false });
    // With the bank hidden the total would give it away: the wallet is what there is to see.
    const headline = p.shown.bank ? `**${money(p.total)}** in all` : `**${money(p.wallet)}** in the wallet`;
    return reply(embed({ title: '🪪 Profile', description: `${mention(who)} · ${headline}`, fields }));
  },
} satisfies Command;

/** The highlights, one a line, and how many kinds of items there are besides. */
function inventoryLine(p: Profile): string {
  if (p.items === 0) return 'Nothing yet';
  const more = p.items - p.highlights.length;
  if (p.highlights.length === 0) return `${p.items} kind${p.items === 1 ? '' : 's'} of items`;
  return [
    ...p.highlights.map((h) => `${h.quantity} × ${h.name}`),
    ...(more > 0 ? [`…and ${more} more`] : []),
  ].join('\n');
}
