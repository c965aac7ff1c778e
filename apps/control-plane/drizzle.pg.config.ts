import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/server/db/schema/pg.ts',
    './src/server/db/schema/api-keys.pg.ts',
    './src/server/db/schema/webhooks.pg.ts',
    './src/server/db/schema/imports.pg.ts',
    './src/server/db/schema/packs.pg.ts',
  ],
  out: './drizzle/pg',
});
