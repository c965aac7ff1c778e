import type { Command } from '../command.js';
import { embed, reply } from '../replies.js';

export default {
  name: 'inventory',
  define: (config) =>
    Object.keys(config.shop.items).length > 0
      ? [{ name: 'inventory', description: 'See the items you own' }]
      : [],
  async run(ctx) {
    const entries = await ctx.tenant.inventory(ctx.userId);
    const lines = entries.map((entry) => {
      const item = ctx.config.shop.items[entry.item];
      const use = item?.consumable ? ` — \`/use item:${entry.item}\`` : '';
      return `**${item?.name ?? entry.item}** × ${entry.quantity}${use}`;
    });
    return reply(
      embed({
        title: '🎒 Inventory',
        description: lines.length ? lines.join('\n') : 'You have no items yet. Browse `/shop`.',
      }),
    );
  },
} satisfies Command;
