'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { diff } from '../../lib/diff';
import { type Path, pathKey, setAt } from '../../lib/paths';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { ErrorNote, Skeleton } from '../ui/card';
import { Dialog } from '../ui/dialog';
import { LevelsSection, LotterySection } from './activity-sections';
import { BrandingSection } from './branding-section';
import { type Draft, EditorProvider, type EditorState } from './context';
import { DiffList } from './diff-list';
import {
  BankSection,
  ItemsBetweenMembersSection,
  ProfileSection,
  RobberySection,
  RoleIncomeSection,
} from './member-sections';
import { PreviewPanel } from './preview-panel';
import {
  EventsSection,
  FaucetsSection,
  GamesSection,
  GeneralSection,
  PolicySection,
  ShopSection,
  SinksSection,
  StreaksSection,
} from './sections';
import { LogChannelSection, TextsSection, TradesSection } from './trade-log-text-sections';

const DEBOUNCE_MS = 300;

/** The editor's sections, by the config key each edits (for the jump links). */
const SECTIONS = [
  ['currency', 'Currency'],
  ['faucets', 'Rewards'],
  ['streaks', 'Streaks'],
  ['shop', 'Shop'],
  ['sinks', 'Payments'],
  ['bank', 'Bank'],
  ['robbery', 'Robbery'],
  ['roleIncome', 'Role income'],
  ['trades', 'Trades'],
  ['logChannel', 'Log channel'],
  ['texts', 'Reply texts'],
  ['levels', 'Levels'],
  ['lottery', 'Lottery'],
  ['profile', 'Profile'],
  ['branding', 'Branding'],
  ['games', 'Games'],
  ['events', 'Events'],
  ['policy', 'Policy'],
] as const;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function EconomyEditor({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const current = useQuery(trpc.economy.current.queryOptions({ tenantId }));
  // Kept above the body: publishing remounts the body on the new version.
  const [publishedVersion, setPublishedVersion] = useState<number | null>(null);
  if (current.isPending) {
    return (
      <div className="space-y-4" aria-busy="true">
        <span className="sr-only" role="status">
          Loading the economy…
        </span>
        <Skeleton className="h-40" />
        <Skeleton className="h-72" />
      </div>
    );
  }
  if (current.isError) return <ErrorNote>{describeError(current.error).message}</ErrorNote>;
  return (
    <EditorBody
      key={current.data.version}
      tenantId={tenantId}
      published={current.data}
      publishedVersion={publishedVersion}
      onPublished={setPublishedVersion}
    />
  );
}

function EditorBody({
  tenantId,
  published,
  publishedVersion,
  onPublished,
}: {
  tenantId: string;
  published: { version: number; config: Draft; defaults: { games: Draft['games'] } };
  publishedVersion: number | null;
  onPublished: (version: number) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [draft, setDraft] = useState<Draft>(() => structuredClone(published.config));
  const [confirming, setConfirming] = useState(false);
  const debounced = useDebounced(draft, DEBOUNCE_MS);
  const preview = useQuery({
    ...trpc.economy.preview.queryOptions({ tenantId, draft: debounced }),
    placeholderData: keepPreviousData,
  });

  const issues = preview.data && !preview.data.ok ? preview.data.issues : [];
  const checking = debounced !== draft || preview.isFetching;
  const valid = !checking && preview.data?.ok === true;
  const byPath = useMemo(() => new Map(issues.map((i) => [i.path, i.message])), [issues]);
  const changes = useMemo(
    () => diff(published.config, preview.data?.ok && !checking ? preview.data.config : draft),
    [published.config, preview.data, checking, draft],
  );

  const set = useCallback((path: Path, value: unknown) => setDraft((d) => setAt(d, path, value)), []);
  const state: EditorState = useMemo(
    () => ({
      draft,
      set,
      issue: (path) => byPath.get(pathKey(path)),
      issuesUnder: (path) => {
        const prefix = pathKey(path);
        return issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`)).length;
      },
      defaults: published.defaults,
    }),
    [draft, set, byPath, issues, published.defaults],
  );

  const publish = useMutation(
    trpc.economy.publish.mutationOptions({
      onSuccess: async ({ version }) => {
        // Reload first: the editor then reopens on the new version, and says so.
        await queryClient.invalidateQueries({ queryKey: trpc.economy.pathKey() });
        setConfirming(false);
        onPublished(version);
        router.refresh();
      },
    }),
  );

  return (
    <EditorProvider value={state}>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <div>
              <h1 className="text-xl font-semibold">Economy editor</h1>
              <p className="text-sm text-slate-600 dark:text-slate-300">
                Editing version {published.version}.{' '}
                {changes.length === 0 ? 'No changes yet.' : `${changes.length} change(s).`}
              </p>
            </div>
            <div className="flex gap-2">
              <Button
                variant="secondary"
                disabled={changes.length === 0}
                onClick={() => setDraft(structuredClone(published.config))}
              >
                Discard changes
              </Button>
              <Button disabled={!valid || changes.length === 0} onClick={() => setConfirming(true)}>
                Review and publish
              </Button>
            </div>
          </div>
          <div aria-live="polite">
            {publishedVersion !== null ? (
              <p
                role="status"
                className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
              >
                Published version {publishedVersion}. The bot uses it from now on.
              </p>
            ) : null}
            {issues.length > 0 ? (
              <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
                <p className="font-medium">
                  {issues.length} {issues.length === 1 ? 'problem' : 'problems'} to fix before publishing:
                </p>
                <ul className="mt-1 list-disc pl-5">
                  {issues.map((i) => (
                    <li key={`${i.path}:${i.message}`}>
                      <span className="font-mono text-xs">{i.path || 'config'}</span>: {i.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
          <nav aria-label="Editor sections" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {SECTIONS.map(([key, label]) => {
              const problems = state.issuesUnder([key]);
              return (
                <a
                  key={key}
                  href={`#section-${key}`}
                  className="text-brand-700 underline dark:text-brand-300"
                >
                  {label}
                  {problems > 0 ? ` (${problems} to fix)` : ''}
                </a>
              );
            })}
          </nav>
          <GeneralSection />
          <FaucetsSection />
          <StreaksSection />
          <ShopSection />
          <ItemsBetweenMembersSection />
          <SinksSection />
          <BankSection />
          <RobberySection />
          <RoleIncomeSection />
          <TradesSection />
          <LogChannelSection />
          <TextsSection />
          <LevelsSection />
          <LotterySection />
          <ProfileSection />
          <BrandingSection />
          <GamesSection />
          <EventsSection />
          <PolicySection />
        </div>
        <aside className="lg:sticky lg:top-4 lg:self-start" aria-label="Preview and changes">
          <div className="space-y-6 rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <PreviewPanel
              tenantId={tenantId}
              preview={preview.data?.ok ? preview.data.preview : null}
              valid={valid}
              draft={draft}
            />
            <section aria-labelledby="changes-heading">
              <h2 id="changes-heading" className="text-lg font-semibold">
                Changes against version {published.version}
              </h2>
              <div className="mt-2">
                <DiffList changes={changes} />
              </div>
            </section>
          </div>
        </aside>
      </div>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Publish version ${published.version + 1}?`}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">
          The bot switches to it within seconds. You can roll back to any earlier version later.
        </p>
        <div className="mt-3">
          <DiffList changes={changes} />
        </div>
        {publish.isError ? (
          <div className="mt-3">
            <ErrorNote>{describeError(publish.error).message}</ErrorNote>
          </div>
        ) : null}
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button
            disabled={publish.isPending}
            onClick={() => publish.mutate({ tenantId, config: draft, basedOn: published.version })}
          >
            {publish.isPending ? 'Publishing…' : 'Publish'}
          </Button>
        </div>
      </Dialog>
    </EditorProvider>
  );
}
