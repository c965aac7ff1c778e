import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  // No sharp: avatars are small remote images shown as they are.
  images: { unoptimized: true },
  // Native and Node-only packages stay outside the server bundle.
  serverExternalPackages: ['@guildmint/sdk', '@libsql/client', 'libsql', 'pg'],
  poweredByHeader: false,
  typedRoutes: false,
  // The build checks the app's sources; `pnpm typecheck` (tsconfig.json) also covers the tests.
  typescript: { tsconfigPath: 'tsconfig.next.json' },
};

export default config;
