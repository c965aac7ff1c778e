import { TRPCError } from '@trpc/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { Badge } from '../../../components/ui/card';
import { requireSession } from '../../../server/require-session';
import { serverCaller } from '../../../trpc/server';
import { TenantProvider } from './tenant-context';
import { TenantNav } from './tenant-nav';

export const dynamic = 'force-dynamic';

async function loadTenant(tenantId: string) {
  try {
    return await (await serverCaller()).tenants.get({ tenantId });
  } catch (error) {
    // Someone else's economy, or none: the same 404, so nobody learns which exist.
    if (error instanceof TRPCError && ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'].includes(error.code))
      notFound();
    throw error;
  }
}

export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenantId: string }>;
}) {
  await requireSession();
  const { tenantId } = await params;
  const tenant = await loadTenant(tenantId);
  return (
    <TenantProvider value={{ tenantId, name: tenant.name, currency: tenant.currency }}>
      <div className="space-y-6">
        <div>
          <p className="text-sm">
            <Link href="/guilds" className="text-brand-700 underline dark:text-brand-300">
              ← Your servers
            </Link>
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-3">
            <p className="text-2xl font-bold tracking-tight">{tenant.name}</p>
            {tenant.installed ? (
              <Badge tone="good">Bot installed</Badge>
            ) : (
              <Badge tone="warn">Bot not in the server</Badge>
            )}
            <Badge>
              {tenant.currency.symbol} {tenant.currency.name}
            </Badge>
            <Badge>{tenant.version === 0 ? 'Default config' : `Version ${tenant.version}`}</Badge>
          </div>
        </div>
        <TenantNav tenantId={tenantId} />
        {children}
      </div>
    </TenantProvider>
  );
}
