import type { Command } from '../command.js';
import { formatAmount, formatMultiplier, relativeTime } from '../format.js';
import { embed, reply } from '../replies.js';

export default {
  name: 'streak',
  define: (config) =>
    Object.keys(config.streaks).length > 0 ? [{ name: 'streak', description: 'See your daily streak' }] : [],
  async run(ctx) {
    const view = await ctx.tenant.streak(ctx.userId);
    const claimWith = Object.entries(ctx.config.faucets).find(
      ([, f]) => f.enabled && f.streak === view.name,
    )?.[0];
    const fields = [
      { name: 'Longest', value: `${view.longest} day${view.longest === 1 ? '' : 's'}`, inline: true },
      { name: 'Freezes', value: String(view.freezes), inline: true },
      { name: 'Multiplier', value: formatMultiplier(view.multiplierBps), inline: true },
      {
        name: 'Today',
        value: view.claimedToday
          ? `✅ counted; the next day starts ${relativeTime(view.dayEndsAt)}`
          : `not yet${claimWith ? ` — claim with \`/${claimWith}\`` : ''}`,
        inline: false,
      },
    ];
    if (view.nextMilestone) {
      const m = view.nextMilestone;
      fields.push({
        name: 'Next milestone',
        value: `Day ${m.day}: **${formatAmount(m.bonus, ctx.currency)}** (${m.claimsToGo} more claim${m.claimsToGo === 1 ? '' : 's'})`,
        inline: false,
      });
    }
    if (view.expiresAt && view.current > 0) {
      fields.push({ name: 'Ends', value: `${relativeTime(view.expiresAt)} unless you claim`, inline: false });
    }
    return reply(
      embed({
        title: `🔥 ${capitalize(view.name)} streak: ${view.current} day${view.current === 1 ? '' : 's'}`,
        fields,
      }),
    );
  },
} satisfies Command;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
