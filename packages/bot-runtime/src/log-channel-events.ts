import type { EconomyConfig } from '@guildmint/sdk';
import type { MoneyOperation } from './command.js';
import { formatAmount } from './format.js';
import type { LogEvent } from './log-channel.js';
import { mention } from './replies.js';

/** What `counted` saw: enough of any operation's result to tell the log channel about it. */
export interface CountedResult {
  replayed: boolean;
  amount?: bigint;
  transfers?: ReadonlyArray<{ to?: string }>;
  effects?: { item?: string; quantity?: number };
  status?: string;
  from?: string;
  to?: string;
}

/**
 * The log line for a money operation a member just did, or null when the log channel does not carry it:
 * replays (nothing moved), payments below the threshold, trades not completed, everything else. Admin
 * actions (`/eco`) come from the audit log instead (`AuditFeed`), like those done anywhere else.
 */
export function moneyEvent(
  operation: MoneyOperation,
  counted: { replayed: boolean },
  o: { userId: string; config: EconomyConfig },
): LogEvent | null {
  // Each operation's result has the fields its branch reads (a Receipt, a PurchaseReceipt, a TradeResult).
  const result = counted as CountedResult;
  if (result.replayed) return null;
  const { config, userId } = o;
  const amount = (value: bigint) => formatAmount(value, config.currency);
  const who = mention(userId);
  if (operation === 'pay' && result.amount !== undefined) {
    if (result.amount < BigInt(config.logChannel.largePaymentAt)) return null;
    const to = result.transfers?.[0]?.to?.replace(/^user:/, '');
    return {
      kind: 'payment',
      text: `💸 ${who} paid ${to ? mention(to) : 'a member'} **${amount(result.amount)}**`,
    };
  }
  if (operation === 'buy' && result.amount !== undefined) {
    const item = result.effects?.item ?? 'an item';
    const name = config.shop.items[item]?.name ?? item;
    return {
      kind: 'purchase',
      text: `🛍️ ${who} bought ${result.effects?.quantity ?? 1} × ${name} for **${amount(result.amount)}**`,
    };
  }
  if (operation === 'trade' && result.status === 'completed' && result.from && result.to) {
    return { kind: 'trade', text: `🤝 ${mention(result.from)} and ${mention(result.to)} completed a trade` };
  }
  return null;
}
