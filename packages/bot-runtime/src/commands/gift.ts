import { canChangeHands } from '@guildmint/sdk';
import type { Command } from '../command.js';
import { Colors, customText, embed, mention, reply } from '../replies.js';
import { integerOption, itemOption, userOption } from '../slash.js';

/** `/gift member item`: give items from your inventory (when the server allows gifts). */
export default {
  name: 'gift',
  define: (config) => {
    const items = Object.entries(config.shop.items).filter(([, item]) => canChangeHands(item));
    if (!config.shop.gifts || items.length === 0) return [];
    return [
      {
        name: 'gift',
        description: 'Give items from your inventory to another member',
        options: [
          userOption('member', 'Who gets them', { required: true }),
          itemOption('The item (see /inventory)', items),
          integerOption('quantity', 'How many (default 1)', { min: 1, max: 100 }),
        ],
      },
    ];
  },
  async run(ctx) {
    const to = ctx.options.user('member', true);
    const item = ctx.options.string('item', true);
    const quantity = ctx.options.integer('quantity') ?? 1;
    const result = ctx.counted(
      'gift',
      await ctx.tenant.gift({ from: ctx.userId, to, item, quantity, key: ctx.interactionId }),
    );
    const name = ctx.config.shop.items[item]?.name ?? item;
    return reply(
      embed({
        title: '🎁 Gift sent',
        description: `${customText(
          ctx.config,
          'gift',
          { member: mention(ctx.userId), target: mention(to), item: name, quantity: String(result.quantity) },
          `${mention(ctx.userId)} gave ${mention(to)} **${result.quantity} × ${name}**.`,
        )}${result.replayed ? '\n_(already given with this interaction)_' : ''}`,
        color: Colors.success,
      }),
    );
  },
} satisfies Command;
