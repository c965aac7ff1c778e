import { z } from 'zod';

/**
 * The operator CLI's environment: only where the platform tables are. It is its own program (not the
 * Next.js app, whose env.ts also demands AUTH_SECRET and Discord settings), so it reads just these two,
 * with the same meaning and defaults as the server.
 */
export const cliEnv = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
      .optional(),
    GUILDMINT_DATA_DIR: z.string().min(1).default('.data'),
    /** The economy's storage, as the server reads it (`import`, `export`). */
    ECONOMY_STORAGE: z.string().min(1).optional(),
    /** The owner's UnbelievaBoat API token (`import unbelievaboat`): from the environment, never a flag. */
    UNBELIEVABOAT_TOKEN: z.string().min(1).optional(),
    /** Tenants across PostgreSQL clusters (`tenants list|move`): `a=postgres://…;b=postgres://…`. */
    GUILDMINT_CLUSTERS: z.string().min(1).optional(),
  })
  .parse({
    DATABASE_URL: process.env.DATABASE_URL || undefined,
    GUILDMINT_DATA_DIR: process.env.GUILDMINT_DATA_DIR || undefined,
    ECONOMY_STORAGE: process.env.ECONOMY_STORAGE || undefined,
    UNBELIEVABOAT_TOKEN: process.env.UNBELIEVABOAT_TOKEN || undefined,
    GUILDMINT_CLUSTERS: process.env.GUILDMINT_CLUSTERS || undefined,
  });
