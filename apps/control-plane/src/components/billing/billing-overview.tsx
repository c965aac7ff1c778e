'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { Suspense } from 'react';
import { formatDateTime } from '../../lib/format';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { Badge, Card, ErrorNote, Skeleton } from '../ui/card';
import { CurrencyPacks } from './currency-packs';

/** How each limit reads on the page, in the catalog's order. */
const LIMITS = [
  ['membersWithBalance', 'Members with a balance'],
  ['games', 'Games enabled'],
  ['shopItems', 'Shop items'],
  ['events', 'Events'],
  ['apiRequestsPerMinute', 'API requests per minute'],
  ['webhookEndpoints', 'Webhook endpoints'],
  ['analyticsHistoryDays', 'Days of analytics history'],
] as const;

const RAIL = { stripe: 'Stripe subscription', discord: 'Discord subscription' } as const;

/**
 * The plan in force, where it comes from, its limits and what the published config uses of them, with
 * past_due and grace-period banners. Upgrading and managing the subscription are for the owner only
 * (the server refuses anyone else).
 */
export function BillingOverview({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const status = useQuery(trpc.billing.status.queryOptions({ tenantId }));
  const go = { onSuccess: (result: { url: string }) => window.location.assign(result.url) };
  const checkout = useMutation(trpc.billing.checkout.mutationOptions(go));
  const portal = useMutation(trpc.billing.portal.mutationOptions(go));
  const failure = checkout.error ?? portal.error;

  if (status.isPending) return <Skeleton className="h-64" />;
  if (status.isError) return <ErrorNote>{describeError(status.error).message}</ErrorNote>;
  const { plan, source, usage, catalog, stripe } = status.data;
  const used: Partial<Record<(typeof LIMITS)[number][0], number>> = usage;

  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Billing</h1>

      {source?.status === 'past_due' && (
        <div
          role="alert"
          className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          The last payment failed. Your server keeps {plan.title} until{' '}
          {source.graceUntil ? formatDateTime(source.graceUntil) : 'the grace period ends'}; update the
          payment method under <strong>Manage subscription</strong> to keep it after that.
        </div>
      )}

      <Card>
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="text-lg font-semibold" data-testid="current-plan">
            {plan.title}
          </h2>
          {source ? (
            <Badge tone={source.status === 'past_due' ? 'warn' : 'good'}>
              {source.status.replace('_', ' ')}
            </Badge>
          ) : (
            <Badge>free</Badge>
          )}
        </div>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300" data-testid="plan-source">
          {source ? `From a ${RAIL[source.rail]} (${source.ref}).` : 'No subscription: the Free plan.'}
        </p>
        <table className="mt-4 w-full text-sm">
          <caption className="sr-only">Limits of the {plan.title} plan and what this server uses</caption>
          <tbody>
            {LIMITS.map(([key, label]) => (
              <tr key={key} className="border-t border-slate-100 dark:border-slate-800">
                <th scope="row" className="py-1.5 text-left font-normal">
                  {label}
                </th>
                <td className="py-1.5 text-right tabular-nums" data-testid={`limit-${key}`}>
                  {used[key] === undefined ? '' : `${used[key]} of `}
                  {plan.limits[key].toLocaleString('en-US')}
                </td>
              </tr>
            ))}
            <tr className="border-t border-slate-100 dark:border-slate-800">
              <th scope="row" className="py-1.5 text-left font-normal">
                Currency packs · custom branding
              </th>
              <td className="py-1.5 text-right">
                {plan.features.currencyPacks ? 'yes' : 'no'} · {plan.features.customBranding ? 'yes' : 'no'}
              </td>
            </tr>
          </tbody>
        </table>
      </Card>

      {!stripe ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">Payments are not set up on this server.</p>
      ) : source?.rail === 'stripe' ? (
        // A subscriber changes plan in the portal (prorated), never with a second subscription.
        <Button variant="secondary" disabled={portal.isPending} onClick={() => portal.mutate({ tenantId })}>
          Manage subscription
        </Button>
      ) : (
        <div className="flex flex-wrap gap-2">
          {catalog
            .filter((p) => p.name !== 'free' && p.name !== plan.name)
            .map((p) => (
              <Button
                key={p.name}
                disabled={checkout.isPending}
                onClick={() => checkout.mutate({ tenantId, plan: p.name as 'pro' | 'scale' })}
              >
                Upgrade to {p.title}
              </Button>
            ))}
        </div>
      )}
      {failure && <ErrorNote>{describeError(failure).message}</ErrorNote>}
      {/* It reads the query string (back from Stripe onboarding): a Suspense boundary of its own. */}
      <Suspense fallback={<Skeleton className="h-40" />}>
        <CurrencyPacks tenantId={tenantId} />
      </Suspense>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Only the server’s owner can upgrade or manage the subscription. After a downgrade nothing is lost: the
        published economy keeps running and every balance stays; the next publish must fit the plan.
      </p>
    </div>
  );
}
