import { createEnv } from '@t3-oss/env-nextjs';
import { z } from 'zod';

// The one place that reads process.env (Auth.js itself also reads AUTH_URL / AUTH_TRUST_HOST).
// Validated once at start; `next build` skips validation so a build needs no secrets.

const DISCORD_API = 'https://discord.com/api';
const isProduction = process.env.NODE_ENV === 'production';

const optionalUrl = z.url().optional();

export const env = createEnv({
  server: {
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** Signs and encrypts session cookies. Required in production (`npx auth secret`). */
    AUTH_SECRET: isProduction
      ? z.string().min(32, 'AUTH_SECRET must be at least 32 characters')
      : z.string().min(32).default('development-only-secret-do-not-use-in-production'),
    /** The public URL (Auth.js reads it too). Required in production, and https there except on loopback. */
    AUTH_URL: z.url().optional(),
    /** A Discord application for "Log in with Discord". Without it, development offers the dev login. */
    AUTH_DISCORD_ID: z.string().min(1).optional(),
    AUTH_DISCORD_SECRET: z.string().min(1).optional(),
    /** Discord's OAuth2 endpoints; point them at the Discord simulator in development and tests. */
    AUTH_DISCORD_AUTHORIZATION_URL: optionalUrl,
    AUTH_DISCORD_TOKEN_URL: optionalUrl,
    AUTH_DISCORD_USERINFO_URL: optionalUrl,
    /** Discord's REST base URL (for /users/@me/guilds); the runtime reads the same variable. */
    DISCORD_API_URL: z.url().default(DISCORD_API),
    /** The bot's application id, for the invite link; defaults to AUTH_DISCORD_ID. */
    DISCORD_APPLICATION_ID: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional(),
    /** PostgreSQL for the platform tables and the economy; absent: libSQL files under GUILDMINT_DATA_DIR. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
      .optional(),
    /** The economy store when it differs from DATABASE_URL (e.g. `file:/srv/guildmint/economy.db`). */
    ECONOMY_STORAGE: z.string().min(1).optional(),
    GUILDMINT_DATA_DIR: z.string().min(1).default('.data'),
    /** Redis: rate limits shared by every process of the control plane (absent: each counts alone). */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// or rediss:// URL')
      .optional(),
    /**
     * The bot's token: publishing a shop item that grants a role checks the role's place and the
     * publisher's rights with Discord. Without it, such items cannot be published.
     */
    DISCORD_BOT_TOKEN: z.string().min(1).optional(),
    /** Guilds the development login manages, `id:name` separated by commas. */
    DEV_LOGIN_GUILDS: z.string().default('100000000000000001:Dev Guild,100000000000000002:Side Project'),
  },
  client: {},
  experimental__runtimeEnv: {},
  skipValidation: process.env.NEXT_PHASE === 'phase-production-build' || !!process.env.SKIP_ENV_VALIDATION,
  emptyStringAsUndefined: true,
});
