import type { Metadata } from 'next';
import { requireSession } from '../../server/require-session';
import { GuildList } from './guild-list';

export const metadata: Metadata = { title: 'Your servers' };
export const dynamic = 'force-dynamic';

export default async function GuildsPage() {
  const session = await requireSession();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Your servers</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          Hi {session.user.name}. These are the Discord servers you can manage. Add the bot, pick a starting
          economy, and tune it.
        </p>
      </div>
      <GuildList />
    </div>
  );
}
