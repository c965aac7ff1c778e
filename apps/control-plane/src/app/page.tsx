import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { Card } from '../components/ui/card';
import { getSession, signIn } from '../server/auth';
import { DEV_LOGIN_PROVIDER } from '../server/auth/config';
import { devLoginFor } from '../server/auth/dev-login';
import { runtime } from '../server/runtime';
import { DevLoginForm } from './dev-login-form';

export const dynamic = 'force-dynamic';

const ERRORS: Record<string, string> = {
  AccessDenied: 'Discord did not let us in. Try again, and allow access to your servers.',
  CredentialsSignin: 'That did not work. Enter a name to log in.',
  Configuration: 'Login is not configured correctly on this server.',
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await getSession()) redirect('/guilds');
  const { settings } = await runtime();
  const devLogin = devLoginFor(settings.devLogin, await headers());
  const { error } = await searchParams;
  const message = error ? (ERRORS[error] ?? 'Logging in failed. Try again.') : null;

  return (
    <div className="mx-auto max-w-md pt-8">
      <h1 className="text-3xl font-bold tracking-tight">Run your server’s economy</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">
        Daily rewards, a shop, games and streaks for your Discord community, on a ledger that never loses a
        coin.
      </p>
      <Card className="mt-8 space-y-6">
        {message ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {message}
          </p>
        ) : null}
        {settings.discord ? (
          <form
            action={async () => {
              'use server';
              await signIn('discord', { redirectTo: '/guilds' });
            }}
          >
            <button
              type="submit"
              className="flex w-full items-center justify-center gap-2 rounded-md bg-[#4752c4] px-4 py-2.5 font-medium text-white hover:bg-[#3c45a5]"
            >
              Log in with Discord
            </button>
          </form>
        ) : null}
        {devLogin ? (
          <div className="space-y-3">
            <h2 className="font-semibold">Development login</h2>
            <p className="text-sm text-slate-600 dark:text-slate-300">
              GUILDMINT_DEV_LOGIN=1 on this machine, so you can log in as anyone. You will manage{' '}
              {devLogin.guilds.map((g) => g.name).join(' and ')}.
            </p>
            <DevLoginForm
              action={async (formData: FormData) => {
                'use server';
                await signIn(DEV_LOGIN_PROVIDER, {
                  name: String(formData.get('name') ?? ''),
                  redirectTo: '/guilds',
                });
              }}
            />
          </div>
        ) : null}
        {!settings.discord && !devLogin ? (
          <p>Set AUTH_DISCORD_ID and AUTH_DISCORD_SECRET to enable logging in.</p>
        ) : null}
      </Card>
    </div>
  );
}
