'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { useTenant } from '../../app/t/[tenantId]/tenant-context';
import { formatAmount } from '../../lib/money';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { EmptyState, ErrorNote, Skeleton } from '../ui/card';

const SNOWFLAKE = /^\d{1,20}$/;

/** Members by balance, with search by Discord id (any member can be opened by id). */
export function MemberList({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { currency } = useTenant();
  const members = useQuery(trpc.members.list.queryOptions({ tenantId, limit: 100 }));
  const [search, setSearch] = useState('');
  const searchId = useId();
  const query = search.trim();
  const shown = (members.data ?? []).filter((m) => m.userId.includes(query));
  const canOpen = SNOWFLAKE.test(query);

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Members</h1>
      <search>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (canOpen) router.push(`/t/${tenantId}/members/${query}`);
          }}
        >
          <div className="grow">
            <label htmlFor={searchId} className="block text-sm font-medium">
              Find a member by Discord user id
            </label>
            <input
              id={searchId}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              inputMode="numeric"
              placeholder="e.g. 80351110224678912"
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950"
            />
          </div>
          <Button type="submit" disabled={!canOpen}>
            Open member
          </Button>
        </form>
      </search>
      {members.isPending ? (
        <Skeleton className="h-48" />
      ) : members.isError ? (
        <ErrorNote>{describeError(members.error).message}</ErrorNote>
      ) : members.data.length === 0 ? (
        <EmptyState title="No members with coins yet">
          Members appear here once they earn something, for example with /daily. You can also open any member
          by id.
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title="No member matches">Press “Open member” to look up that id directly.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm">
            <caption className="sr-only">Members by balance, richest first</caption>
            <thead className="bg-slate-50 text-left dark:bg-slate-800">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Rank
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Member
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  Balance
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.userId} className="border-t border-slate-200 dark:border-slate-800">
                  <td className="px-4 py-2">{(members.data.indexOf(m) + 1).toString()}</td>
                  <td className="px-4 py-2">
                    <Link
                      href={`/t/${tenantId}/members/${m.userId}`}
                      className="font-mono text-brand-700 underline dark:text-brand-300"
                    >
                      {m.userId}
                    </Link>
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatAmount(m.balance, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
