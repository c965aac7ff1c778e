'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { Badge, Card, ErrorNote, Skeleton } from '../ui/card';
import { Field } from '../ui/field';

const STATUS_TONE = { enabled: 'good', pending: 'warn', restricted: 'warn' } as const;
const CURRENCIES = ['usd', 'eur', 'gbp', 'cad', 'aud'] as const;

/** 499 usd → "$4.99". */
function price(unitAmount: number, currency: string) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
    unitAmount / 100,
  );
}

/**
 * Currency packs on the billing page: the guild's Stripe Connect account (status re-read from Stripe when
 * the owner comes back from onboarding), the packs on sale with a form for a new one, and the latest
 * payments. Only the owner may connect or change packs (the server refuses anyone else).
 */
export function CurrencyPacks({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Never null in the App Router; typed so because the app also has Pages Router API routes.
  const back = useSearchParams()?.get('connect') ?? null;
  const status = useQuery(trpc.packs.status.queryOptions({ tenantId, reread: back !== null }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.packs.status.queryKey() });
  const onboard = useMutation(
    trpc.packs.onboard.mutationOptions({ onSuccess: (r) => window.location.assign(r.url) }),
  );
  const define = useMutation(trpc.packs.define.mutationOptions({ onSuccess: refresh }));
  const archive = useMutation(trpc.packs.archive.mutationOptions({ onSuccess: refresh }));
  const [form, setForm] = useState({ name: '', price: '4.99', currency: 'usd', coins: '1000', perDay: '3' });
  const failure = onboard.error ?? define.error ?? archive.error;

  if (status.isPending) return <Skeleton className="h-40" />;
  if (status.isError) return <ErrorNote>{describeError(status.error).message}</ErrorNote>;
  const data = status.data;

  function submit(event: FormEvent) {
    event.preventDefault();
    define.mutate({
      tenantId,
      name: form.name,
      unitAmount: Math.round(Number(form.price) * 100),
      currency: form.currency as (typeof CURRENCIES)[number],
      coins: form.coins,
      perMemberPerDay: Number(form.perDay),
    });
  }

  return (
    <Card>
      <h2 className="text-lg font-semibold">Currency packs</h2>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
        Members buy coins with real money in Discord (<code>/buy pack:</code>), paid to your own Stripe
        account. Coins bought can never be sold back for money.
      </p>
      {!data.included ? (
        <p className="mt-3 text-sm" data-testid="packs-plan">
          Your plan does not include currency packs; Pro does.
        </p>
      ) : !data.configured ? (
        <p className="mt-3 text-sm">Payments are not set up on this server.</p>
      ) : (
        <div className="mt-4 space-y-4">
          <div className="flex flex-wrap items-center gap-3">
            <span className="text-sm">Stripe account:</span>
            {data.account ? (
              <Badge tone={STATUS_TONE[data.account.status]}>
                <span data-testid="connect-status">{data.account.status}</span>
              </Badge>
            ) : (
              <Badge>not connected</Badge>
            )}
            {data.account?.status !== 'enabled' && (
              <Button disabled={onboard.isPending} onClick={() => onboard.mutate({ tenantId })}>
                {data.account ? 'Continue Stripe onboarding' : 'Connect Stripe'}
              </Button>
            )}
            <span className="text-xs text-slate-600 dark:text-slate-400">
              Guildmint’s fee on your plan: {(data.applicationFeeBps / 100).toFixed(1)} % of each sale.
            </span>
          </div>

          <table className="w-full text-sm">
            <caption className="sr-only">Packs on sale</caption>
            <tbody>
              {data.packs.map((p) => (
                <tr
                  key={p.id}
                  className="border-t border-slate-100 dark:border-slate-800"
                  data-testid="pack-row"
                >
                  <th scope="row" className="py-1.5 text-left font-medium">
                    {p.name}
                  </th>
                  <td>{price(p.unitAmount, p.currency)}</td>
                  <td>{p.coins.toString()} coins</td>
                  <td>max {p.perMemberPerDay} a day</td>
                  <td className="text-right">
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() => archive.mutate({ tenantId, packId: p.id })}
                    >
                      Stop selling
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <form onSubmit={submit} className="grid gap-3 sm:grid-cols-5" aria-label="New pack">
            <Field label="Pack name">
              {(p) => (
                <input
                  {...p}
                  value={form.name}
                  onChange={(e) => setForm({ ...form, name: e.target.value })}
                />
              )}
            </Field>
            <Field label="Price">
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={form.price}
                  onChange={(e) => setForm({ ...form, price: e.target.value })}
                />
              )}
            </Field>
            <Field label="Currency">
              {(p) => (
                <select
                  {...p}
                  value={form.currency}
                  onChange={(e) => setForm({ ...form, currency: e.target.value })}
                >
                  {CURRENCIES.map((c) => (
                    <option key={c} value={c}>
                      {c.toUpperCase()}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Coins">
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={form.coins}
                  onChange={(e) => setForm({ ...form, coins: e.target.value })}
                />
              )}
            </Field>
            <Field label="Per member per day">
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={form.perDay}
                  onChange={(e) => setForm({ ...form, perDay: e.target.value })}
                />
              )}
            </Field>
            <div className="sm:col-span-5">
              <Button type="submit" disabled={define.isPending}>
                Add pack
              </Button>
            </div>
          </form>

          {data.orders.length > 0 && (
            <table className="w-full text-sm">
              <caption className="text-left font-medium">Latest payments</caption>
              <tbody>
                {data.orders.map((o) => (
                  <tr key={o.id} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1">{formatDateTime(o.createdAt)}</td>
                    <td>member {o.memberId}</td>
                    <td>{price(o.unitAmount, o.currency)}</td>
                    <td>{o.status}</td>
                    <td className="font-mono text-xs">{o.paymentIntentId ?? o.sessionId ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {failure && <ErrorNote>{describeError(failure).message}</ErrorNote>}
    </Card>
  );
}
