'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { Badge, EmptyState, ErrorNote, Skeleton } from '../ui/card';
import { Dialog } from '../ui/dialog';
import { Checkbox, SelectInput, TextInput } from '../ui/field';

const SCOPES = [
  { scope: 'read', hint: 'balances, inventories, stats, the config' },
  { scope: 'write', hint: 'what members do: pay, claim, buy, play' },
  { scope: 'admin', hint: 'what moderators do: grant, revoke, freeze, roll back, publish' },
  { scope: 'webhooks', hint: 'manage webhook endpoints' },
] as const;
type Scope = (typeof SCOPES)[number]['scope'];

/**
 * The owner's API keys: create one (shown once, with a copy button), list them, rotate or revoke.
 * Nothing here can show a key again: the server keeps only its hash.
 */
export function ApiKeys({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ tenantId }));
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ secret: string; prefix: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() });
  const rotate = useMutation(
    trpc.apiKeys.rotate.mutationOptions({
      onSuccess: async (r) => {
        setShown({ secret: r.secret, prefix: r.key.prefix });
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const failure = rotate.error ?? revoke.error;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">Developers</h1>
        <Button onClick={() => setCreating(true)}>Create API key</Button>
      </div>
      <p className="max-w-prose text-sm text-slate-700 dark:text-slate-300">
        API keys let your own bot or website use this economy through the{' '}
        <a className="underline" href="/api/v1/openapi.json">
          HTTP API
        </a>
        . Only the server’s owner can see this page. A key is shown once, when it is made: keep it secret.
      </p>
      {shown ? <ShownOnce secret={shown.secret} onDone={() => setShown(null)} /> : null}
      {failure ? <ErrorNote>{describeError(failure).message}</ErrorNote> : null}
      {keys.isPending ? (
        <Skeleton className="h-32" />
      ) : keys.isError ? (
        <ErrorNote>{describeError(keys.error).message}</ErrorNote>
      ) : keys.data.length === 0 ? (
        <EmptyState title="No API keys yet">Create one to reach this economy from your own code.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" data-testid="api-keys">
            <caption className="sr-only">API keys, newest first</caption>
            <thead className="bg-slate-50 text-left dark:bg-slate-800">
              <tr>
                {['Name', 'Key', 'Scopes', 'Created', 'Last used', 'Expires', 'Status', ''].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => {
                const live = k.revokedAt === null && (k.expiresAt === null || k.expiresAt > new Date());
                return (
                  <tr
                    key={k.id}
                    className="border-t border-slate-200 dark:border-slate-800"
                    data-prefix={k.prefix}
                  >
                    <td className="px-4 py-2 font-medium">{k.name}</td>
                    <td className="px-4 py-2 font-mono text-xs">{k.prefix}…</td>
                    <td className="px-4 py-2">{k.scopes.join(', ')}</td>
                    <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(k.createdAt)}</td>
                    <td className="px-4 py-2 whitespace-nowrap">
                      {k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'never'}
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap">
                      {k.expiresAt ? formatDateTime(k.expiresAt) : 'never'}
                    </td>
                    <td className="px-4 py-2">
                      {k.revokedAt ? (
                        <Badge tone="bad">{k.replacedBy ? 'rotated' : 'revoked'}</Badge>
                      ) : live ? (
                        <Badge tone="good">{k.mode === 'test' ? 'test' : 'live'}</Badge>
                      ) : (
                        <Badge tone="warn">expired</Badge>
                      )}
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap">
                      {k.revokedAt === null ? (
                        <span className="flex gap-1">
                          <Button
                            size="sm"
                            variant="secondary"
                            disabled={rotate.isPending}
                            onClick={() => rotate.mutate({ tenantId, id: k.id })}
                          >
                            Rotate
                          </Button>
                          <Button
                            size="sm"
                            variant="danger"
                            disabled={revoke.isPending}
                            onClick={() => {
                              if (
                                window.confirm(
                                  `Revoke ${k.prefix}…? Anything using it stops working at once.`,
                                )
                              )
                                revoke.mutate({ tenantId, id: k.id });
                            }}
                          >
                            Revoke
                          </Button>
                        </span>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <CreateKeyDialog
        open={creating}
        tenantId={tenantId}
        onClose={() => setCreating(false)}
        onCreated={async (secret, prefix) => {
          setCreating(false);
          setShown({ secret, prefix });
          await refresh();
        }}
      />
    </div>
  );
}

function ShownOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section
      aria-label="Your new API key"
      className="space-y-2 rounded-xl border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
    >
      <p className="text-sm font-medium">Copy your new key now: it will not be shown again.</p>
      <code
        data-testid="new-api-key"
        className="block overflow-x-auto rounded bg-white p-2 font-mono text-sm dark:bg-slate-900"
      >
        {secret}
      </code>
      <div className="flex gap-2">
        <Button
          size="sm"
          onClick={async () => {
            await navigator.clipboard.writeText(secret);
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button size="sm" variant="secondary" onClick={onDone}>
          I have saved it
        </Button>
      </div>
    </section>
  );
}

function CreateKeyDialog({
  open,
  tenantId,
  onClose,
  onCreated,
}: {
  open: boolean;
  tenantId: string;
  onClose: () => void;
  onCreated: (secret: string, prefix: string) => Promise<void>;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [mode, setMode] = useState<'live' | 'test'>('live');
  const [expires, setExpires] = useState('');
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({ onSuccess: (r) => onCreated(r.secret, r.key.prefix) }),
  );
  const problem = create.error ? describeError(create.error) : null;
  return (
    <Dialog open={open} onClose={onClose} title="Create API key">
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({
            tenantId,
            name,
            scopes,
            mode,
            expiresInDays: expires ? Number(expires) : null,
          });
        }}
      >
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint="what it is for"
          required
        />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Scopes</legend>
          {SCOPES.map(({ scope, hint }) => (
            <Checkbox
              key={scope}
              label={scope}
              hint={hint}
              checked={scopes.includes(scope)}
              onChange={(on) => setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)))}
            />
          ))}
        </fieldset>
        <SelectInput label="Kind" value={mode} onChange={(e) => setMode(e.target.value as 'live' | 'test')}>
          <option value="live">live (gm_live_…)</option>
          <option value="test">test (gm_test_…)</option>
        </SelectInput>
        <TextInput
          label="Expires after (days)"
          type="number"
          min={1}
          max={3650}
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          hint="empty: until you revoke it"
        />
        {problem ? <ErrorNote>{problem.issues[0]?.message ?? problem.message}</ErrorNote> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending || scopes.length === 0 || name.trim() === ''}>
            Create
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
