import type { Metadata } from 'next';
import { ImportPanel } from '../../../../components/moving/import-panel';

export const metadata: Metadata = { title: 'Import and export' };

export default async function ImportPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <ImportPanel tenantId={tenantId} />;
}
