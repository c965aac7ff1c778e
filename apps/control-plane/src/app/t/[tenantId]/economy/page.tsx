import type { Metadata } from 'next';
import { EconomyEditor } from '../../../../components/editor/economy-editor';

export const metadata: Metadata = { title: 'Economy editor' };

export default async function EconomyPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <EconomyEditor tenantId={tenantId} />;
}
