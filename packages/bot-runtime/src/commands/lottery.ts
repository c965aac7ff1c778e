import type { Command } from '../command.js';
import { formatAmount, relativeTime } from '../format.js';
import { lotteryProofReply } from '../render/lottery.js';
import { Colors, embed, reply } from '../replies.js';
import { integerOption, subcommandOption } from '../slash.js';

/** `/lottery buy|status|verify`: tickets into the pot, the next draw, and any past draw checked. */
export default {
  name: 'lottery',
  define: (config) =>
    config.lottery.enabled
      ? [
          {
            name: 'lottery',
            description: 'Buy tickets for the daily draw',
            options: [
              subcommandOption('buy', 'Buy tickets for the next draw', [
                integerOption('tickets', 'How many (default 1)', {
                  min: 1,
                  max: config.lottery.maxTicketsPerMember,
                }),
              ]),
              subcommandOption('status', 'The pot, your tickets and the next draw'),
              subcommandOption('verify', 'Check a past draw against its revealed seed', [
                integerOption('round', 'The round number (in the draw announcement)', {
                  required: true,
                  min: 0,
                }),
              ]),
            ],
          },
        ]
      : [],
  async run(ctx) {
    switch (ctx.options.subcommand) {
      case 'buy': {
        const receipt = ctx.counted(
          'lottery',
          await ctx.tenant.lottery.buy(ctx.userId, {
            quantity: ctx.options.integer('tickets') ?? 1,
            key: ctx.interactionId,
          }),
        );
        return reply(
          embed({
            title: `🎟️ ${receipt.quantity} ticket${receipt.quantity === 1 ? '' : 's'} bought`,
            description: `You paid **${formatAmount(receipt.amount, ctx.currency)}** and hold ${receipt.held} ticket${receipt.held === 1 ? '' : 's'} in round ${receipt.round}, drawn ${relativeTime(receipt.drawAt)}.${receipt.replayed ? '\n_(already bought with this interaction: nothing charged twice)_' : ''}`,
            color: Colors.success,
          }),
        );
      }
      case 'verify':
        return lotteryProofReply(
          await ctx.tenant.lottery.result(ctx.options.integer('round', true)),
          ctx.currency,
        );
      default: {
        const status = await ctx.tenant.lottery.status(ctx.userId);
        return reply(
          embed({
            title: `🎰 Lottery — round ${status.round}`,
            description: `Drawn ${relativeTime(status.drawAt)}. Tickets cost ${formatAmount(status.ticketPrice, ctx.currency)}; at most ${status.maxTicketsPerMember} each.`,
            fields: [
              { name: 'Pot', value: formatAmount(status.pot, ctx.currency), inline: true },
              { name: 'Tickets sold', value: String(status.ticketsSold), inline: true },
              { name: 'Yours', value: String(status.mine), inline: true },
              { name: 'Seed commitment (SHA-256)', value: `\`${status.serverSeedHash}\`` },
            ],
          }),
        );
      }
    }
  },
} satisfies Command;
