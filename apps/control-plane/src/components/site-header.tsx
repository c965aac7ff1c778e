import Link from 'next/link';
import { getSession, signOut } from '../server/auth';
import { Avatar } from './avatar';
import { ThemeToggle } from './theme-toggle';

export async function SiteHeader() {
  const session = await getSession();
  return (
    <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between px-4">
        <Link href={session ? '/guilds' : '/'} className="flex items-center gap-2 font-semibold">
          <span aria-hidden="true">🪙</span> Guildmint
        </Link>
        <div className="flex items-center gap-3">
          <ThemeToggle />
          {session ? (
            <>
              <span className="flex items-center gap-2 text-sm">
                <Avatar name={session.user.name} image={session.user.image} size={28} />
                <span className="hidden sm:inline">{session.user.name}</span>
              </span>
              <form
                action={async () => {
                  'use server';
                  await signOut({ redirectTo: '/' });
                }}
              >
                <button
                  type="submit"
                  className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
                >
                  Log out
                </button>
              </form>
            </>
          ) : null}
        </div>
      </div>
    </header>
  );
}
