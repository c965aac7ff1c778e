'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTenant } from '../../app/t/[tenantId]/tenant-context';
import { formatDateTime } from '../../lib/format';
import { formatAmount } from '../../lib/money';
import type { ImportTotals } from '../../server/import/run-store';
import { describeError, useTRPC } from '../../trpc/react';
import { Button, buttonClass } from '../ui/button';
import { Card, ErrorNote } from '../ui/card';
import { TextInput } from '../ui/field';

type Source = { kind: 'unbelievaboat'; token: string } | { kind: 'csv'; text: string };

/**
 * Moving in and out, for the server's owner: read a source to the end and show its totals (nothing is
 * written), confirm, then follow the import page by page. Exports are plain downloads.
 */
export function ImportPanel({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const [kind, setKind] = useState<Source['kind']>('unbelievaboat');
  const [token, setToken] = useState('');
  const [text, setText] = useState('');
  const source: Source = kind === 'unbelievaboat' ? { kind, token } : { kind, text };
  const dryRun = useMutation(trpc.imports.dryRun.mutationOptions());
  const queryClient = useQueryClient();
  const start = useMutation(
    trpc.imports.start.mutationOptions({
      onSuccess: async () => {
        dryRun.reset();
        // The job just started: read its state now (the poll only runs while a job it knows of runs).
        await queryClient.invalidateQueries({ queryKey: trpc.imports.status.pathKey() });
      },
    }),
  );
  const status = useQuery({
    ...trpc.imports.status.queryOptions({ tenantId }),
    refetchInterval: (query) => (query.state.data?.job?.state === 'running' ? 1000 : false),
  });
  const job = status.data?.job;
  const failure = dryRun.error ?? start.error ?? status.error;

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Import and export</h1>
      <p className="max-w-prose text-sm text-slate-700 dark:text-slate-300">
        Bring your server’s balances over from UnbelievaBoat or a CSV file. Each member is credited once:
        running the same import again changes nothing. Only the server’s owner can see this page.
      </p>
      <Card className="space-y-3">
        <fieldset className="flex gap-4 text-sm">
          <legend className="sr-only">Source</legend>
          {(['unbelievaboat', 'csv'] as const).map((k) => (
            <label key={k} className="flex items-center gap-2">
              <input type="radio" name="source" checked={kind === k} onChange={() => setKind(k)} />
              {k === 'unbelievaboat' ? 'UnbelievaBoat' : 'CSV file'}
            </label>
          ))}
        </fieldset>
        {kind === 'unbelievaboat' ? (
          <TextInput
            label="UnbelievaBoat API token"
            hint="From unbelievaboat.com/api/docs, with the application authorized on this server. Used for this import only, never stored."
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        ) : (
          <label className="block text-sm">
            <span className="font-medium">CSV file (user_id,cash,bank)</span>
            <input
              className="mt-1 block"
              type="file"
              accept=".csv,text/csv"
              onChange={async (e) => setText((await e.target.files?.[0]?.text()) ?? '')}
            />
          </label>
        )}
        <div className="flex gap-2">
          <Button
            variant="secondary"
            disabled={dryRun.isPending || job?.state === 'running'}
            onClick={() => dryRun.mutate({ tenantId, source })}
          >
            {dryRun.isPending ? 'Reading…' : 'Dry run: show totals'}
          </Button>
          {dryRun.data ? (
            <Button disabled={start.isPending} onClick={() => start.mutate({ tenantId, source })}>
              Confirm and import
            </Button>
          ) : null}
        </div>
        {dryRun.data ? <Totals title="Dry run: nothing written yet" totals={dryRun.data} /> : null}
        {dryRun.data?.previous ? (
          <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="imported-before">
            {dryRun.data.previous.status === 'done' ? 'Imported before' : 'An import of it stopped'} on{' '}
            {formatDateTime(dryRun.data.previous.updatedAt)}: members credited then are not credited again.
          </p>
        ) : null}
      </Card>
      {failure ? <ErrorNote>{describeError(failure).message}</ErrorNote> : null}
      {job ? (
        <Card>
          <p className="text-sm font-medium">
            {job.state === 'running'
              ? `Importing… page ${job.progress?.page ?? 0} of ${job.progress?.totalPages ?? '?'}`
              : job.state === 'done'
                ? 'Import finished'
                : `Import stopped: ${job.error}. Start it again to continue where it stopped.`}
          </p>
          {(job.totals ?? job.progress?.totals) ? (
            <Totals title="So far" totals={(job.totals ?? job.progress?.totals)!} />
          ) : null}
        </Card>
      ) : null}
      {status.data?.runs.length ? (
        <Card>
          <h2 className="font-semibold">Earlier imports</h2>
          <ul className="mt-2 space-y-1 text-sm">
            {status.data.runs.map((run) => (
              <li key={`${run.source}:${run.ref}`}>
                {run.source === 'csv' ? 'CSV file' : 'UnbelievaBoat'} ·{' '}
                {run.status === 'done' ? 'finished' : `stopped before page ${run.nextPage}`} ·{' '}
                {run.progress.credited} credited · {formatDateTime(run.updatedAt)}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card className="space-y-2">
        <h2 className="font-semibold">Export</h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">CSV files, streamed from the ledger.</p>
        <div className="flex gap-2">
          <a className={buttonClass('secondary')} href={`/t/${tenantId}/import/export/balances`}>
            Balances (wallet, bank, total)
          </a>
          <a className={buttonClass('secondary')} href={`/t/${tenantId}/import/export/history`}>
            History (every transfer)
          </a>
        </div>
      </Card>
    </div>
  );
}

function Totals({ title, totals }: { title: string; totals: ImportTotals }) {
  const { currency } = useTenant();
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" aria-label={title}>
      <dt className="col-span-full font-medium">{title}</dt>
      <dt>Members read</dt>
      <dd className="tabular-nums">{totals.members}</dd>
      <dt>To credit</dt>
      <dd className="tabular-nums">{totals.credited}</dd>
      <dt>Wallets</dt>
      <dd className="tabular-nums">{formatAmount(totals.wallet, currency)}</dd>
      <dt>Banks</dt>
      <dd className="tabular-nums">{formatAmount(totals.bank, currency)}</dd>
      <dt>Imported before</dt>
      <dd className="tabular-nums">{totals.alreadyImported}</dd>
      <dt>Debts left behind</dt>
      <dd className="tabular-nums">{totals.negatives}</dd>
    </dl>
  );
}
