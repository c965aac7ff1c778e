import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { MemberDetail } from '../../../../../components/admin/member-detail';

export const metadata: Metadata = { title: 'Member' };

export default async function MemberPage({
  params,
}: {
  params: Promise<{ tenantId: string; userId: string }>;
}) {
  const { tenantId, userId } = await params;
  if (!/^\d{1,20}$/.test(userId)) notFound();
  return <MemberDetail tenantId={tenantId} userId={userId} />;
}
