import type { Command } from '../command.js';
import { formatAmount } from '../format.js';
import { Colors, customText, embed, mention, reply } from '../replies.js';
import { amountOption, stringOption, userOption } from '../slash.js';

export default {
  name: 'pay',
  define: (config) => [
    {
      name: 'pay',
      description: `Send ${config.currency.name} to another member`,
      options: [
        userOption('member', 'Who to pay', { required: true }),
        amountOption('amount', 'How much', config.currency, {
          required: true,
          min: config.sinks.minTransfer,
        }),
        stringOption('memo', 'A note for the payment', { maxLength: 200 }),
      ],
    },
  ],
  async run(ctx) {
    const to = ctx.options.user('member', true);
    const amount = ctx.options.amount('amount', ctx.currency.decimals);
    const memo = ctx.options.string('memo');
    const receipt = ctx.counted(
      'pay',
      await ctx.tenant.pay({
        from: ctx.userId,
        to,
        amount,
        key: ctx.interactionId,
        ...(memo !== undefined && { memo }),
      }),
    );
    const fields = [{ name: 'Amount', value: formatAmount(receipt.amount, ctx.currency), inline: true }];
    if (receipt.tax > 0n)
      fields.push({ name: 'Tax', value: formatAmount(receipt.tax, ctx.currency), inline: true });
    if (receipt.fee > 0n)
      fields.push({ name: 'Fee', value: formatAmount(receipt.fee, ctx.currency), inline: true });
    if (memo !== undefined) fields.push({ name: 'Memo', value: memo, inline: false });
    return reply(
      embed({
        title: '💸 Payment sent',
        description: customText(
          ctx.config,
          'pay',
          {
            member: mention(ctx.userId),
            target: mention(to),
            amount: formatAmount(receipt.amount, ctx.currency),
          },
          `${mention(ctx.userId)} paid ${mention(to)} **${formatAmount(receipt.amount, ctx.currency)}**.`,
        ),
        color: Colors.success,
        fields,
      }),
    );
  },
} satisfies Command;
