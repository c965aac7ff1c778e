'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTenant } from '../../app/t/[tenantId]/tenant-context';
import { formatAccount, formatCode, formatDateTime } from '../../lib/format';
import { formatAmount } from '../../lib/money';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { Card, EmptyState, ErrorNote, Skeleton } from '../ui/card';
import { AdminAction, type AdminActionKind } from './admin-action';

const PAGE = 25;

/** One member: balance, the admin actions, and their history a page at a time. */
export function MemberDetail({ tenantId, userId }: { tenantId: string; userId: string }) {
  const trpc = useTRPC();
  const { currency } = useTenant();
  const member = useQuery(trpc.members.get.queryOptions({ tenantId, userId }));
  // Cursors of the pages seen so far: [undefined] is the newest page.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors.at(-1);
  const history = useQuery(
    trpc.members.history.queryOptions({
      tenantId,
      userId,
      limit: PAGE,
      ...(cursor !== undefined && { cursor }),
    }),
  );
  const [action, setAction] = useState<AdminActionKind | null>(null);

  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href={`/t/${tenantId}/members`} className="text-brand-700 underline dark:text-brand-300">
          ← Members
        </Link>
      </p>
      <Card className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold">
            Member <span className="font-mono">{userId}</span>
            {member.data?.frozen ? (
              <span
                className="rounded-full bg-sky-100 px-2 py-0.5 text-sm font-medium text-sky-900 dark:bg-sky-900 dark:text-sky-100"
                data-testid="member-frozen"
              >
                Frozen: cannot send or spend
              </span>
            ) : null}
          </h1>
          <p className="mt-1 text-3xl font-bold tabular-nums" data-testid="member-balance">
            {member.isPending ? '…' : member.isError ? '—' : formatAmount(member.data.balance, currency)}
          </p>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            in the wallet; bank{' '}
            <span className="font-semibold tabular-nums" data-testid="member-bank">
              {member.data ? formatAmount(member.data.bank, currency) : '…'}
            </span>{' '}
            · total{' '}
            <span className="font-semibold tabular-nums" data-testid="member-total">
              {member.data ? formatAmount(member.data.total, currency) : '…'}
            </span>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => setAction('grant')}>Grant</Button>
          <Button variant="secondary" onClick={() => setAction('revoke')}>
            Revoke
          </Button>
          <Button variant="secondary" onClick={() => setAction('freeze')}>
            Freeze
          </Button>
          <Button variant="secondary" onClick={() => setAction('unfreeze')}>
            Unfreeze
          </Button>
          <Button variant="danger" onClick={() => setAction('rollback')}>
            Roll back
          </Button>
        </div>
      </Card>
      {member.isError ? <ErrorNote>{describeError(member.error).message}</ErrorNote> : null}

      <section aria-labelledby="history-heading" className="space-y-3">
        <h2 id="history-heading" className="text-lg font-semibold">
          History
        </h2>
        {history.isPending ? (
          <Skeleton className="h-40" />
        ) : history.isError ? (
          <ErrorNote>{describeError(history.error).message}</ErrorNote>
        ) : history.data.items.length === 0 ? (
          <EmptyState title="No transfers yet" />
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full text-sm">
              <caption className="sr-only">Transfers of this member, newest first</caption>
              <thead className="bg-slate-50 text-left dark:bg-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    When
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    What
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Other side
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.data.items.map((t) => (
                  <tr key={t.id} className="border-t border-slate-200 dark:border-slate-800">
                    <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(t.createdAt)}</td>
                    <td className="px-4 py-2">{formatCode(t.code)}</td>
                    <td className="px-4 py-2 font-mono text-xs">
                      {formatAccount(t.delta > 0n ? t.from : t.to)}
                    </td>
                    <td
                      className={`px-4 py-2 text-right tabular-nums ${t.delta > 0n ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-800 dark:text-red-300'}`}
                    >
                      {t.delta > 0n ? '+' : '−'}
                      {formatAmount(t.delta > 0n ? t.delta : -t.delta, currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="flex gap-2">
          <Button
            variant="secondary"
            size="sm"
            disabled={cursors.length <= 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Newer
          </Button>
          <Button
            variant="secondary"
            size="sm"
            disabled={!history.data?.next}
            onClick={() => {
              const next = history.data?.next;
              if (next) setCursors((c) => [...c, next]);
            }}
          >
            Older
          </Button>
        </div>
      </section>
      {action ? (
        <AdminAction kind={action} tenantId={tenantId} userId={userId} onClose={() => setAction(null)} />
      ) : null}
    </div>
  );
}
