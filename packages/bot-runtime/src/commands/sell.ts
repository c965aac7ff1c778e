import { canChangeHands } from '@guildmint/sdk';
import type { Command } from '../command.js';
import { formatAmount, formatBps } from '../format.js';
import { Colors, embed, reply } from '../replies.js';
import { integerOption, itemOption } from '../slash.js';

/** `/sell item`: the shop buys items back at the share of their price the owner set. */
export default {
  name: 'sell',
  define: (config) => {
    const items = Object.entries(config.shop.items).filter(([, item]) => canChangeHands(item));
    if (config.shop.sellBackBps === 0 || items.length === 0) return [];
    return [
      {
        name: 'sell',
        description: `Sell items back to the shop for ${formatBps(config.shop.sellBackBps)} of their price`,
        options: [
          itemOption('The item (see /inventory)', items),
          integerOption('quantity', 'How many (default 1)', { min: 1, max: 100 }),
        ],
      },
    ];
  },
  async run(ctx) {
    const item = ctx.options.string('item', true);
    const quantity = ctx.options.integer('quantity') ?? 1;
    const receipt = ctx.counted(
      'sell',
      await ctx.tenant.sell(ctx.userId, item, { quantity, key: ctx.interactionId }),
    );
    const name = ctx.config.shop.items[item]?.name ?? item;
    return reply(
      embed({
        title: '🏷️ Sold',
        description: `You sold **${receipt.quantity} × ${name}** for **${formatAmount(receipt.amount, ctx.currency)}**.${receipt.replayed ? '\n_(already sold with this interaction: nothing paid twice)_' : ''}`,
        color: Colors.success,
      }),
    );
  },
} satisfies Command;
