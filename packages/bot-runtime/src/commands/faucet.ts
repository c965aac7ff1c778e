import type { Command } from '../command.js';
import { formatAmount, formatMultiplier, relativeTime } from '../format.js';
import { Colors, customText, embed, mention, reply } from '../replies.js';
import { clip } from '../slash.js';

/** `/daily`, `/work` and one command per other enabled faucet, each named after its faucet. */
export default {
  name: 'faucet',
  define: (config) =>
    Object.entries(config.faucets)
      .filter(([, faucet]) => faucet.enabled)
      .map(([name, faucet]) => ({
        name,
        description: clip(faucet.description ?? `Claim your ${name} reward`),
      })),
  async run(ctx) {
    const faucet = ctx.config.faucets[ctx.name];
    const result = ctx.counted(
      'claim',
      await ctx.tenant.claim(ctx.name, ctx.userId, { key: ctx.interactionId, member: ctx.member }),
    );
    const fields = [];
    if (result.multiplierBps !== 10_000) {
      fields.push({ name: 'Multiplier', value: formatMultiplier(result.multiplierBps), inline: true });
    }
    if (result.streak) {
      fields.push({
        name: 'Streak',
        value: `🔥 ${result.streak.current} day${result.streak.current === 1 ? '' : 's'}`,
        inline: true,
      });
    }
    if (result.bonus > 0n) {
      fields.push({ name: 'Milestone bonus', value: formatAmount(result.bonus, ctx.currency), inline: true });
    }
    if (faucet && faucet.cooldownSeconds > 0) {
      fields.push({ name: 'Next claim', value: relativeTime(result.nextClaimAt), inline: true });
    }
    return reply(
      embed({
        title: `✅ /${ctx.name}`,
        description: `${customText(
          ctx.config,
          'claim',
          {
            member: mention(ctx.userId),
            amount: formatAmount(result.amount, ctx.currency),
            faucet: ctx.name,
          },
          `You received **${formatAmount(result.amount, ctx.currency)}**.`,
        )}${result.replayed ? '\n_(already claimed with this interaction: nothing new was paid)_' : ''}`,
        color: Colors.success,
        fields,
      }),
    );
  },
} satisfies Command;
