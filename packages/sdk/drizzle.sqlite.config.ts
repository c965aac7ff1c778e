import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/stores/schema/sqlite.ts',
  out: './drizzle/sqlite',
});
