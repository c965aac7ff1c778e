import type { Command } from '../command.js';
import { formatAmount, relativeTime } from '../format.js';
import { Colors, embed, reply } from '../replies.js';

/** `/collect`: the income of the member's roles, once per day or week (roles as Discord says they hold them). */
export default {
  name: 'collect',
  define: (config) =>
    config.roleIncome.enabled && config.roleIncome.roles.length > 0
      ? [{ name: 'collect', description: 'Collect the income your roles pay' }]
      : [],
  async run(ctx) {
    // Only the roles in the interaction itself count: what Discord says the member holds now.
    const result = ctx.counted(
      'collect',
      await ctx.tenant.collect(ctx.userId, { member: ctx.member, key: ctx.interactionId }),
    );
    const lines = result.paid.map(
      (line) =>
        `<@&${line.roleId}>: **${formatAmount(line.amount, ctx.currency)}** (${line.period === 'day' ? 'daily' : 'weekly'})`,
    );
    lines.push(`Next income ${relativeTime(result.nextAt)}.`);
    if (result.replayed) lines.push('_(already collected with this interaction: nothing paid twice)_');
    return reply(
      embed({
        title: `💼 You collected ${formatAmount(result.total, ctx.currency)}`,
        description: lines.join('\n'),
        color: Colors.success,
      }),
    );
  },
} satisfies Command;
