import { canChangeHands, type Trade, type TradeSideInput } from '@guildmint/sdk';
import { ButtonStyle, ComponentType } from 'discord.js';
import type { ButtonContext, Command, CommandContext, GuildConfig } from '../command.js';
import { RuntimeError, RuntimeErrorCode } from '../errors.js';
import { type CurrencyFormat, formatAmount, relativeTime } from '../format.js';
import { Colors, customText, embed, mention, type Reply } from '../replies.js';
import { amountOption, integerOption, stringOption, userOption } from '../slash.js';
import { tradeLeaver } from '../trade-leavers.js';

/**
 * `/trade member …`: offers your coins and items for theirs. Your side goes into escrow at once; the
 * offer's buttons `trade:<tradeId>:<accept|decline|cancel>` let them accept or decline and you cancel.
 * The SDK decides who may press what (only they accept; either side calls it off), and a trade
 * accepted twice completes once.
 */
export default {
  name: 'trade',
  define: (config) => {
    if (!config.trades.enabled) return [];
    const items = Object.entries(config.shop.items)
      .filter(([, item]) => canChangeHands(item))
      .map(([id, item]) => ({ name: item.name.slice(0, 100), value: id }));
    const itemChoice = (name: string, text: string) =>
      stringOption(name, text, items.length <= 25 ? { choices: items } : { maxLength: 32 });
    return [
      {
        name: 'trade',
        description: 'Offer your coins and items for another member’s',
        options: [
          userOption('member', 'Who you trade with', { required: true }),
          amountOption('give', 'Coins you give', config.currency),
          itemChoice('give_item', 'An item you give'),
          integerOption('give_quantity', 'How many of it (default 1)', { min: 1, max: 100 }),
          amountOption('want', 'Coins you want', config.currency),
          itemChoice('want_item', 'An item you want'),
          integerOption('want_quantity', 'How many of it (default 1)', { min: 1, max: 100 }),
        ],
      },
    ];
  },
  async run(ctx) {
    const to = ctx.options.user('member', true);
    const trade = ctx.counted(
      'trade',
      await ctx.tenant.proposeTrade({
        from: ctx.userId,
        to,
        give: sideFrom(ctx, 'give'),
        take: sideFrom(ctx, 'want'),
        key: ctx.interactionId,
      }),
    );
    return renderTrade(trade, ctx.config, ctx.currency);
  },
  buttons: {
    prefix: 'trade',
    async run(ctx: ButtonContext) {
      const [, tradeId, action] = ctx.args;
      if (!tradeId || (action !== 'accept' && action !== 'decline' && action !== 'cancel')) {
        throw new RuntimeError(RuntimeErrorCode.UNKNOWN_COMMAND, 'That button is not one of mine');
      }
      const o = { userId: ctx.userId, key: ctx.interactionId };
      if (action !== 'accept')
        return renderTrade(
          ctx.counted('trade', await ctx.tenant.cancelTrade(tradeId, o)),
          ctx.config,
          ctx.currency,
        );
      const left = await leaverOf(ctx, tradeId);
      if (left !== null) {
        // Everything goes back through the escrow, once: the sweep may be calling it off at this moment too.
        await ctx.tenant.abandonTrades(left);
        return renderTrade(await ctx.tenant.trade(tradeId), ctx.config, ctx.currency, { left });
      }
      return renderTrade(
        ctx.counted('trade', await ctx.tenant.acceptTrade(tradeId, o)),
        ctx.config,
        ctx.currency,
      );
    },
  },
} satisfies Command;

/**
 * Who of an open trade's two members is no longer in the server (Discord's answer now), or null. A
 * closed trade is left to `acceptTrade`, which says what became of it.
 */
async function leaverOf(ctx: ButtonContext, tradeId: string): Promise<string | null> {
  const trade = await ctx.tenant.trade(tradeId);
  return trade.status === 'open' ? tradeLeaver(ctx.isMember, trade) : null;
}

function sideFrom(ctx: CommandContext, prefix: 'give' | 'want'): TradeSideInput {
  const coins = ctx.options.has(prefix) ? ctx.options.amount(prefix, ctx.currency.decimals) : undefined;
  const item = ctx.options.string(`${prefix}_item`);
  const quantity = ctx.options.integer(`${prefix}_quantity`) ?? 1;
  return {
    ...(coins !== undefined && { coins }),
    ...(item !== undefined && { items: { [item]: quantity } }),
  };
}

/** The offer with its buttons while open; what became of it once closed. */
export function renderTrade(
  trade: Trade,
  config: GuildConfig,
  currency: CurrencyFormat,
  /** The member found gone from the server, whose leaving called the trade off. */
  o: { left?: string } = {},
): Reply {
  const side = (coins: bigint, items: Record<string, number>, fee: bigint) => {
    const parts = Object.entries(items).map(([id, n]) => `${n} × ${config.shop.items[id]?.name ?? id}`);
    if (coins > 0n) parts.unshift(formatAmount(coins, currency));
    const paid = parts.length > 0 ? parts.join(', ') : 'nothing';
    return fee > 0n ? `${paid} (+ ${formatAmount(fee, currency)} fee)` : paid;
  };
  const fields = [
    {
      name: 'Offered',
      value: `${mention(trade.from)} gives ${side(trade.give.coins, trade.give.items, trade.fee.give)}`,
    },
    {
      name: 'In return',
      value: `${mention(trade.to)} gives ${side(trade.take.coins, trade.take.items, trade.fee.take)}`,
    },
  ];
  if (trade.status === 'open') {
    return {
      embeds: [
        embed({
          title: '🤝 Trade offer',
          description: `${mention(trade.to)}, ${mention(trade.from)} offers you a trade. It expires ${relativeTime(trade.expiresAt)}.`,
          color: Colors.info,
          fields,
          footer: `Trade ${trade.id}`,
        }),
      ],
      components: [
        {
          type: ComponentType.ActionRow,
          components: (
            [
              ['accept', 'Accept', ButtonStyle.Success],
              ['decline', 'Decline', ButtonStyle.Danger],
              ['cancel', 'Cancel offer', ButtonStyle.Secondary],
            ] as const
          ).map(([action, label, style]) => ({
            type: ComponentType.Button,
            style,
            label,
            custom_id: `trade:${trade.id}:${action}`,
          })),
        },
      ],
    };
  }
  const built = {
    completed: `${mention(trade.from)} and ${mention(trade.to)} traded.`,
    cancelled:
      o.left === undefined
        ? `${trade.closedBy === trade.to ? mention(trade.to) : mention(trade.from)} called the trade off; everything went back.`
        : `${mention(o.left)} is no longer in this server, so the trade is called off; everything went back.`,
    expired: 'The offer expired; everything went back.',
  }[trade.status];
  const description =
    trade.status === 'completed'
      ? customText(config, 'trade', { member: mention(trade.from), target: mention(trade.to) }, built)
      : built;
  return {
    embeds: [
      embed({
        title: trade.status === 'completed' ? '🤝 Trade done' : '↩️ Trade called off',
        description,
        color: trade.status === 'completed' ? Colors.success : Colors.neutral,
        fields,
        footer: `Trade ${trade.id}`,
      }),
    ],
    components: [],
  };
}
