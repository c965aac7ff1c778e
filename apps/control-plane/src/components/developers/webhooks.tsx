'use client';

import type { WebhookEventType } from '@guildmint/sdk/webhooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { Badge, EmptyState, ErrorNote, Skeleton } from '../ui/card';
import { Checkbox, TextInput } from '../ui/field';

/**
 * The owner's webhook endpoints: add one (its signing secret shown once), enable or disable it, rotate
 * its secret, delete it; the delivery log with a replay. Why the platform disabled one is shown on it.
 */
export function Webhooks({
  tenantId,
  eventTypes,
}: {
  tenantId: string;
  /** From the server (the SDK's webhook module is server-only). */
  eventTypes: readonly WebhookEventType[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoints = useQuery(trpc.webhooks.list.queryOptions({ tenantId }));
  const deliveries = useQuery(trpc.webhooks.deliveries.queryOptions({ tenantId, limit: 20 }));
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<WebhookEventType[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() });
  const onSecret = async (r: { secret: string }) => {
    setSecret(r.secret);
    await refresh();
  };
  const create = useMutation(trpc.webhooks.create.mutationOptions({ onSuccess: onSecret }));
  const rotate = useMutation(trpc.webhooks.rotate.mutationOptions({ onSuccess: onSecret }));
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess: refresh }));
  const replay = useMutation(trpc.webhooks.replay.mutationOptions({ onSuccess: refresh }));
  const failure = create.error ?? rotate.error ?? update.error ?? remove.error ?? replay.error;

  return (
    <section className="space-y-4" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title" className="text-lg font-semibold">
        Webhooks
      </h2>
      <p className="max-w-prose text-sm text-slate-700 dark:text-slate-300">
        We POST each event (payments, claims, purchases, rounds, freezes, rollbacks) to your https endpoint,
        signed per Standard Webhooks. Verify them with the <code>standardwebhooks</code> library and the
        endpoint’s secret.
      </p>
      {secret ? (
        <section
          aria-label="Your endpoint's signing secret"
          className="space-y-2 rounded-xl border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="text-sm font-medium">Copy the signing secret now: it will not be shown again.</p>
          <code
            data-testid="new-webhook-secret"
            className="block overflow-x-auto rounded bg-white p-2 font-mono text-sm dark:bg-slate-900"
          >
            {secret}
          </code>
          <Button size="sm" variant="secondary" onClick={() => setSecret(null)}>
            I have saved it
          </Button>
        </section>
      ) : null}
      {failure ? <ErrorNote>{describeError(failure).message}</ErrorNote> : null}
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ tenantId, url, eventTypes: types });
        }}
      >
        <TextInput
          label="Endpoint URL"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          hint="https only"
          required
        />
        <fieldset className="flex flex-wrap gap-3">
          <legend className="text-sm font-medium">Events (none ticked: all)</legend>
          {eventTypes.map((type) => (
            <Checkbox
              key={type}
              label={type}
              checked={types.includes(type)}
              onChange={(on) => setTypes((t) => (on ? [...t, type] : t.filter((x) => x !== type)))}
            />
          ))}
        </fieldset>
        <Button type="submit" disabled={create.isPending || url.trim() === ''}>
          Add endpoint
        </Button>
      </form>
      {endpoints.isPending ? (
        <Skeleton className="h-16" />
      ) : endpoints.isError ? (
        <ErrorNote>{describeError(endpoints.error).message}</ErrorNote>
      ) : endpoints.data.length === 0 ? (
        <EmptyState title="No endpoints yet">Add one to hear about this economy’s events.</EmptyState>
      ) : (
        <ul className="space-y-2" data-testid="webhook-endpoints">
          {endpoints.data.map((ep) => (
            <li
              key={ep.id}
              className="flex flex-wrap items-center gap-2 rounded-xl border border-slate-200 p-3 dark:border-slate-800"
            >
              <span className="font-mono text-xs break-all">{ep.url}</span>
              <Badge tone={ep.enabled ? 'good' : 'bad'}>{ep.enabled ? 'enabled' : 'disabled'}</Badge>
              {ep.rotating ? <Badge tone="warn">rotating</Badge> : null}
              <span className="text-xs">
                {ep.eventTypes.length === 0 ? 'all events' : ep.eventTypes.join(', ')}
              </span>
              {ep.disabledReason ? <ErrorNote>Disabled: {ep.disabledReason}</ErrorNote> : null}
              <span className="ml-auto flex gap-1">
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => update.mutate({ tenantId, id: ep.id, enabled: !ep.enabled })}
                >
                  {ep.enabled ? 'Disable' : 'Enable'}
                </Button>
                <Button size="sm" variant="secondary" onClick={() => rotate.mutate({ tenantId, id: ep.id })}>
                  Rotate secret
                </Button>
                <Button
                  size="sm"
                  variant="danger"
                  onClick={() => {
                    if (window.confirm(`Delete the endpoint ${ep.url}?`))
                      remove.mutate({ tenantId, id: ep.id });
                  }}
                >
                  Delete
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="font-medium">Recent deliveries</h3>
      {deliveries.data && deliveries.data.length > 0 ? (
        <table className="w-full text-sm" data-testid="webhook-deliveries">
          <caption className="sr-only">Webhook deliveries, newest first</caption>
          <thead className="text-left">
            <tr>
              {['Event', 'Type', 'Status', 'Attempts', 'Last answer', 'Time', ''].map((h) => (
                <th key={h} scope="col" className="px-2 py-1 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((d) => (
              <tr
                key={`${d.eventId}:${d.endpointId}`}
                className="border-t border-slate-200 dark:border-slate-800"
              >
                <td className="px-2 py-1 font-mono text-xs">{d.eventId}</td>
                <td className="px-2 py-1">{d.type}</td>
                <td className="px-2 py-1">
                  <Badge tone={d.status === 'delivered' ? 'good' : d.status === 'pending' ? 'warn' : 'bad'}>
                    {d.status}
                  </Badge>
                </td>
                <td className="px-2 py-1">{d.attempts}</td>
                <td className="px-2 py-1">
                  {d.lastStatus ?? d.lastError ?? '—'}
                  {d.lastDurationMs !== null ? ` (${d.lastDurationMs} ms)` : ''}
                </td>
                <td className="px-2 py-1 whitespace-nowrap">
                  {d.lastAttemptAt ? formatDateTime(d.lastAttemptAt) : '—'}
                </td>
                <td className="px-2 py-1">
                  <Button
                    size="sm"
                    variant="secondary"
                    onClick={() => replay.mutate({ tenantId, eventId: d.eventId, endpointId: d.endpointId })}
                  >
                    Replay
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">No deliveries yet.</p>
      )}
    </section>
  );
}
