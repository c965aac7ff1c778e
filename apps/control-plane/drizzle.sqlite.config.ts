import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: [
    './src/server/db/schema/sqlite.ts',
    './src/server/db/schema/api-keys.sqlite.ts',
    './src/server/db/schema/webhooks.sqlite.ts',
    './src/server/db/schema/imports.sqlite.ts',
    './src/server/db/schema/packs.sqlite.ts',
  ],
  out: './drizzle/sqlite',
});
