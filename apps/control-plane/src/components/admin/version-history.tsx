'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { diff } from '../../lib/diff';
import { formatDateTime } from '../../lib/format';
import { describeError, useTRPC } from '../../trpc/react';
import { DiffList } from '../editor/diff-list';
import { Button } from '../ui/button';
import { Badge, EmptyState, ErrorNote, Skeleton, Spinner } from '../ui/card';
import { Dialog } from '../ui/dialog';

/** Every published version, and rollback: publishing an earlier one again as a new version. */
export function VersionHistory({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const history = useQuery(trpc.economy.history.queryOptions({ tenantId }));
  const current = useQuery(trpc.economy.current.queryOptions({ tenantId }));
  const [target, setTarget] = useState<number | null>(null);
  const [done, setDone] = useState<{ version: number; from: number } | null>(null);
  const chosen = useQuery({
    ...trpc.economy.version.queryOptions({ tenantId, version: target ?? 0 }),
    enabled: target !== null,
  });
  const rollback = useMutation(
    trpc.economy.rollback.mutationOptions({
      onSuccess: async (result) => {
        setTarget(null);
        setDone(result);
        await queryClient.invalidateQueries({ queryKey: trpc.economy.pathKey() });
        router.refresh();
      },
    }),
  );

  if (history.isPending) return <Skeleton className="h-48" />;
  if (history.isError) return <ErrorNote>{describeError(history.error).message}</ErrorNote>;
  const latest = history.data[0]?.version ?? 0;

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Versions</h1>
      <div aria-live="polite">
        {done ? (
          <p
            role="status"
            className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
          >
            Rolled back: version {done.from} is live again as version {done.version}.
          </p>
        ) : null}
      </div>
      {history.data.length === 0 ? (
        <EmptyState title="Nothing published yet">
          The economy runs on the classic preset until the first publish.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm">
            <caption className="sr-only">Published versions, newest first</caption>
            <thead className="bg-slate-50 text-left dark:bg-slate-800">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Version
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Published
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  By
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((v) => (
                <tr key={v.version} className="border-t border-slate-200 dark:border-slate-800">
                  <td className="px-4 py-2">
                    v{v.version} {v.version === latest ? <Badge tone="good">Live</Badge> : null}
                  </td>
                  <td className="px-4 py-2">{formatDateTime(v.createdAt)}</td>
                  <td className="px-4 py-2 font-mono text-xs">{v.actor ?? 'system'}</td>
                  <td className="px-4 py-2 text-right">
                    {v.version !== latest ? (
                      <Button variant="secondary" size="sm" onClick={() => setTarget(v.version)}>
                        Roll back to v{v.version}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog
        open={target !== null}
        onClose={() => setTarget(null)}
        title={`Roll back to version ${target ?? ''}?`}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Version {target} is published again as version {latest + 1}. These settings change:
        </p>
        <div className="mt-3">
          {chosen.isPending || current.isPending ? (
            <Spinner />
          ) : chosen.data && current.data ? (
            <DiffList changes={diff(current.data.config, chosen.data.config)} />
          ) : null}
        </div>
        {rollback.isError ? (
          <div className="mt-3">
            <ErrorNote>{describeError(rollback.error).message}</ErrorNote>
          </div>
        ) : null}
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setTarget(null)}>
            Cancel
          </Button>
          <Button
            disabled={rollback.isPending || target === null}
            onClick={() => target !== null && rollback.mutate({ tenantId, version: target })}
          >
            {rollback.isPending ? 'Rolling back…' : 'Roll back'}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
