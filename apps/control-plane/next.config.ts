import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants';
import { securityHeaders } from './src/lib/security-headers';

export default function config(phase: string): NextConfig {
  return {
    reactStrictMode: true,
    // No sharp: avatars are small remote images shown as they are.
    images: { unoptimized: true },
    // Native and Node-only packages stay outside the server bundle. (@guildmint/sdk is a workspace link,
    // which Next.js bundles anyway: server/sdk.ts loads it at run time instead, as one copy.)
    serverExternalPackages: ['@libsql/client', 'libsql', 'pg', 'ioredis'],
    poweredByHeader: false,
    typedRoutes: false,
    // The build checks the app's sources; `pnpm typecheck` (tsconfig.json) also covers the tests.
    typescript: { tsconfigPath: 'tsconfig.next.json' },
    async headers() {
      return [{ source: '/:path*', headers: securityHeaders({ dev: phase === PHASE_DEVELOPMENT_SERVER }) }];
    },
  };
}
