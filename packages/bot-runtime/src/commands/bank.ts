import type { Command } from '../command.js';
import { formatAmount } from '../format.js';
import { Colors, embed, reply } from '../replies.js';
import { amountOption } from '../slash.js';

/** `/deposit` and `/withdraw`: coins between the wallet and the bank (when the server has one). */
export default {
  name: 'bank',
  define: (config) =>
    config.bank.enabled
      ? (['deposit', 'withdraw'] as const).map((name) => ({
          name,
          description:
            name === 'deposit'
              ? `Put ${config.currency.name} from your wallet into the bank (safe from robbers)`
              : `Take ${config.currency.name} out of the bank into your wallet`,
          options: [
            amountOption('amount', 'How much', config.currency, {
              required: true,
              min: config.bank.minAmount,
            }),
          ],
        }))
      : [],
  async run(ctx) {
    const direction = ctx.name === 'withdraw' ? 'withdraw' : 'deposit';
    const amount = ctx.options.amount('amount', ctx.currency.decimals);
    const receipt = ctx.counted(
      direction,
      await ctx.tenant[direction](ctx.userId, amount, { key: ctx.interactionId }),
    );
    const after = await ctx.tenant.holdings(ctx.userId);
    const moved = formatAmount(receipt.amount, ctx.currency);
    const lines = [
      direction === 'deposit'
        ? `You put **${moved}** in the bank.`
        : `You took **${moved}** out of the bank.`,
    ];
    if (receipt.interest > 0n)
      lines.push(`🏦 Interest paid: **${formatAmount(receipt.interest, ctx.currency)}**.`);
    if (receipt.replayed) lines.push('_(already done with this interaction: nothing moved twice)_');
    return reply(
      embed({
        title: direction === 'deposit' ? '🏦 Deposited' : '🏦 Withdrawn',
        description: lines.join('\n'),
        color: Colors.success,
        fields: [
          { name: 'Wallet', value: formatAmount(after.wallet, ctx.currency), inline: true },
          { name: 'Bank', value: formatAmount(after.bank, ctx.currency), inline: true },
        ],
      }),
    );
  },
} satisfies Command;
