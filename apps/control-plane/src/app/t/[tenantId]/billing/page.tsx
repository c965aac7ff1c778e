import type { Metadata } from 'next';
import { BillingOverview } from '../../../../components/billing/billing-overview';

export const metadata: Metadata = { title: 'Billing' };

export default async function BillingPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <BillingOverview tenantId={tenantId} />;
}
