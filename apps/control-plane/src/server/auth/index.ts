import 'server-only';
import { headers } from 'next/headers';
import NextAuth from 'next-auth';
import { cache } from 'react';
import { runtime } from '../runtime';
import { requestAuthConfig, toAppSession } from './config';

// Lazy: the config needs the platform store, which is opened (and migrated) on first use. Per request:
// the development login depends on where the request came from. Route handlers pass the request; server
// components and actions (auth(), signIn()) do not, and read the same headers through next/headers.
const nextAuth = NextAuth(async (request) => {
  const { services, settings } = await runtime();
  return requestAuthConfig({ platform: services.platform, settings }, request?.headers ?? (await headers()));
});

export const { handlers, signIn, signOut } = nextAuth;

/** The signed-in user for this request (once per render), or null. */
export const getSession = cache(async () => toAppSession(await nextAuth.auth()));
