import type { Metadata } from 'next';
import { requireSession } from '../../../../server/require-session';
import { PresetPicker } from './preset-picker';

export const metadata: Metadata = { title: 'Set up the economy' };
export const dynamic = 'force-dynamic';

export default async function SetupPage({ params }: { params: Promise<{ guildId: string }> }) {
  await requireSession();
  const { guildId } = await params;
  return <PresetPicker guildId={guildId} />;
}
