import type { Command, CommandContext } from '../command.js';
import { RuntimeError, RuntimeErrorCode } from '../errors.js';
import { formatAmount } from '../format.js';
import { buyPack } from '../packs-reply.js';
import { Colors, embed, reply } from '../replies.js';
import { integerOption, itemOption, stringOption } from '../slash.js';

export default {
  name: 'buy',
  define: (config) => {
    const items = Object.entries(config.shop.items).filter(([, item]) => item.enabled);
    if (items.length === 0) return [];
    return [
      {
        name: 'buy',
        description: 'Buy an item from the shop, or a currency pack',
        options: [
          // Not required: `/buy pack:<name>` names a pack instead (Discord wants required options first).
          itemOption('The item (see /shop)', items, { required: false }),
          integerOption('quantity', 'How many (default 1)', { min: 1, max: 100 }),
          stringOption('pack', 'A currency pack, paid with real money (see /shop)', { maxLength: 32 }),
        ],
      },
    ];
  },
  async run(ctx) {
    const pack = ctx.options.string('pack');
    if (pack) return buyPack(ctx, pack);
    const itemId = ctx.options.string('item');
    if (!itemId)
      throw new RuntimeError(
        RuntimeErrorCode.INVALID_OPTION,
        'name an item (`/buy item:`) or a pack (`/buy pack:`)',
      );
    const quantity = ctx.options.integer('quantity') ?? 1;
    await refuseUngrantableRoles(ctx, itemId);
    const receipt = ctx.counted(
      'buy',
      await ctx.tenant.buy(ctx.userId, itemId, { quantity, key: ctx.interactionId }),
    );
    const item = ctx.config.shop.items[itemId];
    const lines = [
      `You bought **${receipt.effects.quantity} × ${item?.name ?? itemId}** for **${formatAmount(receipt.amount, ctx.currency)}**.`,
    ];
    for (const [streak, count] of Object.entries(receipt.effects.streakFreezes)) {
      lines.push(`🧊 +${count} freeze${count === 1 ? '' : 's'} for your ${streak} streak.`);
    }
    for (const roleId of receipt.effects.roles) {
      lines.push(
        (await ctx.grantRole(roleId))
          ? `🎖️ You now have <@&${roleId}>.`
          : `⚠️ I could not give you <@&${roleId}>: ask the staff to check my **Manage Roles** permission.`,
      );
    }
    if (receipt.replayed) lines.push('_(already bought with this interaction: nothing new was charged)_');
    return reply(embed({ title: '🛍️ Purchased', description: lines.join('\n'), color: Colors.success }));
  },
} satisfies Command;

/** Whatever the config says, an item whose role the bot may not hand out is not sold: nothing is charged. */
async function refuseUngrantableRoles(ctx: CommandContext, itemId: string): Promise<void> {
  const item = ctx.config.shop.items[itemId];
  for (const effect of item?.effects ?? []) {
    if (effect.type !== 'role') continue;
    const refusal = await ctx.roleRefusal(effect.roleId);
    if (refusal) {
      throw new RuntimeError(
        RuntimeErrorCode.ROLE_NOT_GRANTABLE,
        `${item?.name ?? itemId} is not for sale right now: it grants a role I may not give (${refusal}). Nothing was charged; ask the staff to fix the item`,
      );
    }
  }
}
