import type { Metadata } from 'next';
import { ApiKeys } from '../../../../components/developers/api-keys';
import { Webhooks } from '../../../../components/developers/webhooks';
import { WEBHOOK_EVENT_TYPES } from '../../../../server/sdk';

export const metadata: Metadata = { title: 'Developers' };

export default async function DevelopersPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return (
    <div className="space-y-8">
      <ApiKeys tenantId={tenantId} />
      <Webhooks tenantId={tenantId} eventTypes={WEBHOOK_EVENT_TYPES} />
    </div>
  );
}
