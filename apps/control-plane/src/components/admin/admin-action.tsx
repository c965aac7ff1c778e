'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTenant } from '../../app/t/[tenantId]/tenant-context';
import { formatDateTime } from '../../lib/format';
import { formatAmount, parseUnits } from '../../lib/money';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { ErrorNote } from '../ui/card';
import { Dialog } from '../ui/dialog';
import { TextInput } from '../ui/field';

export type AdminActionKind = 'grant' | 'revoke' | 'freeze' | 'unfreeze' | 'rollback';

const TITLES: Record<AdminActionKind, string> = {
  grant: 'Grant coins',
  revoke: 'Revoke coins',
  freeze: 'Freeze wallet',
  unfreeze: 'Unfreeze wallet',
  rollback: 'Roll back transfers',
};

interface AuditShown {
  action: string;
  actor: string;
  reason: string | null;
  createdAt: Date;
}

/**
 * One admin action on one member: details and a reason, then a confirmation, then the audit log
 * entry it wrote. The idempotency key is made when the dialog opens, so a double click or a retry
 * of the same confirmation changes nothing twice.
 */
export function AdminAction({
  kind,
  tenantId,
  userId,
  onClose,
}: {
  kind: AdminActionKind;
  tenantId: string;
  userId: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { currency } = useTenant();
  const [key] = useState(() => crypto.randomUUID());
  const [amountText, setAmountText] = useState('');
  const [since, setSince] = useState('');
  const [reason, setReason] = useState('');
  const [step, setStep] = useState<'details' | 'confirm' | 'done'>('details');
  const [audit, setAudit] = useState<AuditShown | null>(null);
  const [summary, setSummary] = useState('');

  const amount = parseUnits(amountText, currency.decimals);
  const needsAmount = kind === 'grant' || kind === 'revoke';
  const sinceDate = since ? new Date(since) : null;
  const ready =
    reason.trim().length > 0 &&
    (!needsAmount || (amount !== null && amount > 0n)) &&
    (kind !== 'rollback' || (sinceDate !== null && !Number.isNaN(sinceDate.getTime())));

  const finish = async (entry: AuditShown | null, text: string) => {
    setAudit(entry);
    setSummary(text);
    setStep('done');
    await queryClient.invalidateQueries({ queryKey: trpc.members.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.audit.pathKey() });
  };
  const options = {
    onSuccess: (result: { audit: AuditShown | null; balance?: bigint }) =>
      finish(
        result.audit,
        result.balance !== undefined ? `New balance: ${formatAmount(result.balance, currency)}.` : 'Done.',
      ),
  };
  const grant = useMutation(trpc.members.grant.mutationOptions(options));
  const revoke = useMutation(trpc.members.revoke.mutationOptions(options));
  const freeze = useMutation(trpc.members.freeze.mutationOptions(options));
  const unfreeze = useMutation(trpc.members.unfreeze.mutationOptions(options));
  const rollback = useMutation(
    trpc.members.rollback.mutationOptions({
      onSuccess: (result) =>
        finish(
          result.audit,
          `${result.reversed} transfer(s) reversed. New balance: ${formatAmount(result.balance, currency)}.`,
        ),
    }),
  );
  const mutation = { grant, revoke, freeze, unfreeze, rollback }[kind];

  const confirm = () => {
    const base = { tenantId, userId, reason: reason.trim() };
    if (kind === 'grant' && amount !== null) grant.mutate({ ...base, amount, key });
    if (kind === 'revoke' && amount !== null) revoke.mutate({ ...base, amount, key });
    if (kind === 'freeze') freeze.mutate(base);
    if (kind === 'unfreeze') unfreeze.mutate(base);
    if (kind === 'rollback' && sinceDate) rollback.mutate({ ...base, since: sinceDate });
  };

  const what =
    kind === 'grant' && amount !== null
      ? `Give ${formatAmount(amount, currency)} to ${userId}`
      : kind === 'revoke' && amount !== null
        ? `Take ${formatAmount(amount, currency)} from ${userId}`
        : kind === 'freeze'
          ? `Freeze the wallet of ${userId}: no payments in or out`
          : kind === 'unfreeze'
            ? `Unfreeze the wallet of ${userId}`
            : `Reverse every transfer of ${userId} since ${sinceDate ? formatDateTime(sinceDate) : '…'} (may leave debt)`;

  return (
    <Dialog open onClose={onClose} title={TITLES[kind]}>
      {step === 'details' ? (
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) setStep('confirm');
          }}
        >
          {needsAmount ? (
            <TextInput
              label={`Amount (${currency.symbol})`}
              inputMode="decimal"
              value={amountText}
              onChange={(e) => setAmountText(e.target.value)}
              error={
                amountText && (amount === null || amount <= 0n)
                  ? `enter a positive amount with at most ${currency.decimals} decimals`
                  : undefined
              }
              required
            />
          ) : null}
          {kind === 'rollback' ? (
            <TextInput
              label="Reverse transfers since"
              type="datetime-local"
              value={since}
              onChange={(e) => setSince(e.target.value)}
              required
            />
          ) : null}
          <TextInput
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            hint="Shown in the audit log."
            required
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!ready}>
              Continue
            </Button>
          </div>
        </form>
      ) : step === 'confirm' ? (
        <div className="space-y-4">
          <p>{what}.</p>
          <p className="text-sm text-slate-700 dark:text-slate-300">Reason: {reason.trim()}</p>
          {mutation.isError ? <ErrorNote>{describeError(mutation.error).message}</ErrorNote> : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setStep('details')}>
              Back
            </Button>
            <Button
              variant={kind === 'grant' || kind === 'unfreeze' ? 'primary' : 'danger'}
              disabled={mutation.isPending}
              onClick={confirm}
            >
              {mutation.isPending ? 'Working…' : `Confirm: ${TITLES[kind].toLowerCase()}`}
            </Button>
          </div>
        </div>
      ) : (
        <div className="space-y-4">
          <p role="status">{summary}</p>
          {audit ? (
            <div className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
              <p className="font-medium">Recorded in the audit log</p>
              <dl className="mt-2 grid grid-cols-3 gap-1">
                <dt className="text-slate-600 dark:text-slate-400">Action</dt>
                <dd className="col-span-2">{audit.action}</dd>
                <dt className="text-slate-600 dark:text-slate-400">By</dt>
                <dd className="col-span-2 font-mono text-xs">{audit.actor}</dd>
                <dt className="text-slate-600 dark:text-slate-400">Reason</dt>
                <dd className="col-span-2">{audit.reason}</dd>
                <dt className="text-slate-600 dark:text-slate-400">When</dt>
                <dd className="col-span-2">{formatDateTime(audit.createdAt)}</dd>
              </dl>
            </div>
          ) : null}
          <div className="flex justify-end">
            <Button onClick={onClose}>Close</Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
