import type { Metadata } from 'next';
import { MemberList } from '../../../../components/admin/member-list';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <MemberList tenantId={tenantId} />;
}
