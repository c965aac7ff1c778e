import type { Tenant } from '@guildmint/sdk';
import type { Command } from '../command.js';
import { formatAmount } from '../format.js';
import { packFields } from '../packs-reply.js';
import { embed, reply } from '../replies.js';

export default {
  name: 'shop',
  define: (config) =>
    Object.values(config.shop.items).some((item) => item.enabled)
      ? [{ name: 'shop', description: 'See what you can buy' }]
      : [],
  async run(ctx) {
    const items = Object.entries(ctx.config.shop.items).filter(([, item]) => item.enabled);
    // What is left of limited items, read once for the whole shop.
    const stock: Awaited<ReturnType<Tenant['stock']>> = items.some(([, item]) => item.stock !== null)
      ? await ctx.tenant.stock()
      : {};
    const fields = items.slice(0, 25).map(([id, item]) => {
      const left = stock[id]?.left ?? item.stock;
      const notes = [
        item.consumable ? 'consumable' : null,
        item.stock === null ? null : left === 0 ? 'sold out' : `${left} of ${item.stock} left`,
        item.perMemberLimit !== null ? `max ${item.perMemberLimit} each` : null,
      ].filter((note) => note !== null);
      return {
        name: `${item.name} — ${formatAmount(BigInt(item.price), ctx.currency)}`,
        value: `${[item.description, notes.length ? `_(${notes.join(', ')})_` : null].filter(Boolean).join(' ')}\n\`/buy item:${id}\``,
      };
    });
    const packs = await packFields(ctx);
    return reply(
      embed({
        title: '🛒 Shop',
        description: items.length ? 'Buy with `/buy item:<id>`.' : 'The shop is empty right now.',
        fields: [...fields, ...packs].slice(0, 25),
      }),
    );
  },
} satisfies Command;
