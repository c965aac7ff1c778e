import type { Metadata } from 'next';
import { AuditLog } from '../../../../components/admin/audit-log';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <AuditLog tenantId={tenantId} />;
}
