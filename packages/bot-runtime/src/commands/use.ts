import type { Command } from '../command.js';
import { Colors, embed, reply } from '../replies.js';
import { itemOption } from '../slash.js';

export default {
  name: 'use',
  define: (config) => {
    const usable = Object.entries(config.shop.items).filter(([, item]) => item.consumable);
    if (usable.length === 0) return [];
    return [
      {
        name: 'use',
        description: 'Use up one of your consumable items',
        options: [itemOption('The item to use', usable)],
      },
    ];
  },
  async run(ctx) {
    const itemId = ctx.options.string('item', true);
    // Keyed by the interaction id: a redelivered /use (even to another process) uses nothing more.
    const { remaining, replayed } = ctx.counted(
      'use',
      await ctx.tenant.use(ctx.userId, itemId, { key: ctx.interactionId }),
    );
    const name = ctx.config.shop.items[itemId]?.name ?? itemId;
    return reply(
      embed({
        title: '✨ Used',
        description: `You used **${name}**. ${remaining === 0 ? 'That was the last one.' : `${remaining} left.`}${
          replayed ? '\n_(already used with this interaction: nothing more was used)_' : ''
        }`,
        color: Colors.success,
      }),
    );
  },
} satisfies Command;
