import type { Command } from '../command.js';
import { formatAmount, formatBps } from '../format.js';
import { Colors, embed, mention, reply } from '../replies.js';
import { userOption } from '../slash.js';

/** `/rob member`: only where the owner turned robbery on. Decided on the robber's provably fair seeds. */
export default {
  name: 'rob',
  define: (config) =>
    config.robbery.enabled
      ? [
          {
            name: 'rob',
            description: "Try to take part of another member's wallet (fail, and you pay a fine)",
            options: [userOption('member', 'Who to rob', { required: true })],
          },
        ]
      : [],
  async run(ctx) {
    const target = ctx.options.user('member', true);
    const result = ctx.counted(
      'rob',
      await ctx.tenant.rob(ctx.userId, target, {
        robber: ctx.member,
        // Discord's own word on the target's roles and join date (opt-out roles, new-member protection).
        target: ctx.memberOf(target),
        key: ctx.interactionId,
      }),
    );
    const amount = formatAmount(BigInt(result.outcome.amount), ctx.currency);
    const chance = formatBps(result.outcome.chanceBps);
    return reply(
      embed({
        title: result.outcome.success ? '🦹 Robbery succeeded' : '🚓 Caught!',
        description: result.outcome.success
          ? `${mention(ctx.userId)} took **${amount}** from ${mention(target)}'s wallet (chance ${chance}).`
          : `${mention(ctx.userId)} failed to rob ${mention(target)} (chance ${chance}) and paid a fine of **${amount}**.`,
        color: result.outcome.success ? Colors.success : Colors.error,
        footer: `Robbery ${result.id} · nonce ${result.proof.nonce} · check it with /fair verify`,
      }),
    );
  },
} satisfies Command;
