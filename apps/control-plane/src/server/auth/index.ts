import 'server-only';
import NextAuth from 'next-auth';
import { cache } from 'react';
import { runtime } from '../runtime';
import { authConfig, toAppSession } from './config';

// Lazy: the config needs the platform store, which is opened (and migrated) on first use.
const nextAuth = NextAuth(async () => {
  const { services, settings } = await runtime();
  return authConfig({ platform: services.platform, settings });
});

export const { handlers, signIn, signOut } = nextAuth;

/** The signed-in user for this request (once per render), or null. */
export const getSession = cache(async () => toAppSession(await nextAuth.auth()));
