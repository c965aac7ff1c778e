import type { Metadata } from 'next';
import { ApiKeys } from '../../../../components/developers/api-keys';

export const metadata: Metadata = { title: 'Developers' };

export default async function DevelopersPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <ApiKeys tenantId={tenantId} />;
}
