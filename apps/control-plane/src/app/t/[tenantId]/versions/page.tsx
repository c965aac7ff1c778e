import type { Metadata } from 'next';
import { VersionHistory } from '../../../../components/admin/version-history';

export const metadata: Metadata = { title: 'Versions' };

export default async function VersionsPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <VersionHistory tenantId={tenantId} />;
}
