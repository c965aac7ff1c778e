import { memberAccount } from '../context/member-account.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput } from '../errors.js';
import { assertAmount } from '../ledger/amounts.js';
import { canonicalMetadata, derivedId } from '../ledger/normalize.js';
import { webhookEvent } from '../webhooks/events.js';
import { bindKey, keyedTransfers, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer, type Receipt, receiptOf } from './receipt.js';

export interface PayInput {
  from: string;
  to: string;
  amount: bigint;
  key?: string;
  memo?: string;
}

/**
 * One member pays another. The transfer tax (bps of the amount, floored) and the flat fee are
 * paid by the sender on top, to `sink:tax` and `sink:fees`, in the same atomic batch.
 */
export async function pay(ctx: TenantContext, input: PayInput): Promise<Receipt> {
  if (typeof input !== 'object' || input === null)
    throw invalidInput('input', 'must be { from, to, amount }');
  const from = memberAccount(input.from, 'from');
  const to = memberAccount(input.to, 'to');
  assertAmount(input.amount);
  if (from === to) throw new GuildmintError(ErrorCode.INVALID_TRANSFER, 'you cannot pay yourself');
  if (input.memo !== undefined && (typeof input.memo !== 'string' || input.memo.length > 200)) {
    throw invalidInput('memo', 'must be a string of at most 200 characters');
  }
  const bound = bindKey('pay', input.key, {
    from: input.from,
    to: input.to,
    amount: input.amount.toString(),
    memo: input.memo ?? null,
  });
  const { key } = bound;
  return runKeyed(ctx, bound, {
    member: input.from,
    attempt: async ({ config, now }) => {
      if (input.amount < BigInt(config.sinks.minTransfer)) {
        throw new GuildmintError(
          ErrorCode.INVALID_AMOUNT,
          `the smallest payment here is ${config.sinks.minTransfer}`,
        );
      }
      // Floor: the tax never rounds up against the payer.
      const tax = (input.amount * BigInt(config.sinks.transferTaxBps)) / 10_000n;
      const fee = BigInt(config.sinks.transferFee);
      const metadata = input.memo === undefined ? null : canonicalMetadata({ memo: input.memo });
      const transfers = [newTransfer(key, from, to, input.amount, 'transfer.p2p', metadata)];
      if (tax > 0n) transfers.push(newTransfer(derivedId(key, 'tax'), from, 'sink:tax', tax, 'sink.tax'));
      if (fee > 0n) transfers.push(newTransfer(derivedId(key, 'fee'), from, 'sink:fees', fee, 'sink.fee'));
      const paid = webhookEvent(ctx.tenant, 'member.paid', now, {
        id: key,
        from: input.from,
        to: input.to,
        amount: input.amount,
        tax,
        fee,
        memo: input.memo ?? null,
      });
      const stored = await commitTransfers(ctx, transfers, { effects: [spendKey(bound)], events: [paid] });
      return receiptOf(stored, false);
    },
    replay: async () => receiptOf(await keyedTransfers(ctx, key), true),
  });
}
