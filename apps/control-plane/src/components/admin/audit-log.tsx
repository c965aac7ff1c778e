'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useTenant } from '../../app/t/[tenantId]/tenant-context';
import { formatAccount, formatDateTime } from '../../lib/format';
import { formatAmount } from '../../lib/money';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { EmptyState, ErrorNote, Skeleton } from '../ui/card';

function detail(
  details: Record<string, unknown> | null,
  currency: { symbol: string; decimals: number },
): string {
  if (!details) return '';
  const amount = details.amount;
  if (typeof amount === 'string' && /^\d+$/.test(amount)) return formatAmount(BigInt(amount), currency);
  if (typeof details.reversed === 'number') return `${details.reversed} reversed`;
  return '';
}

/** Every admin action in the economy, newest first. */
export function AuditLog({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const { currency } = useTenant();
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { tenantId, limit: 50 },
      { getNextPageParam: (page) => page.next ?? undefined },
    ),
  );
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      {log.isPending ? (
        <Skeleton className="h-48" />
      ) : log.isError ? (
        <ErrorNote>{describeError(log.error).message}</ErrorNote>
      ) : log.data.pages[0]?.items.length === 0 ? (
        <EmptyState title="No admin actions yet">
          Grants, revokes, freezes and rollbacks appear here with who did them and why.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" data-testid="audit-table">
            <caption className="sr-only">Admin actions, newest first</caption>
            <thead className="bg-slate-50 text-left dark:bg-slate-800">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  When
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Action
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Member
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Detail
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Reason
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  By
                </th>
              </tr>
            </thead>
            <tbody>
              {log.data.pages.flatMap((page) =>
                page.items.map((e) => (
                  <tr key={e.id} className="border-t border-slate-200 dark:border-slate-800">
                    <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(e.createdAt)}</td>
                    <td className="px-4 py-2 font-medium">{e.action}</td>
                    <td className="px-4 py-2 font-mono text-xs">{formatAccount(e.target)}</td>
                    <td className="px-4 py-2 tabular-nums">{detail(e.details, currency)}</td>
                    <td className="px-4 py-2">{e.reason}</td>
                    <td className="px-4 py-2 font-mono text-xs">{e.actor}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage ? (
        <Button
          variant="secondary"
          disabled={log.isFetchingNextPage}
          onClick={() => void log.fetchNextPage()}
        >
          {log.isFetchingNextPage ? 'Loading…' : 'Older entries'}
        </Button>
      ) : null}
    </div>
  );
}
