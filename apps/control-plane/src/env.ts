import { createEnv } from '@t3-oss/env-nextjs';
import { z } from 'zod';

// The one place that reads process.env (Auth.js itself also reads AUTH_URL / AUTH_TRUST_HOST).
// Validated once at start; `next build` skips validation so a build needs no secrets.

/**
 * Whether this code is a production build. Next.js replaces `process.env.NODE_ENV` when it compiles the app
 * (`next build`: 'production', `next dev`: 'development'), so a production build stays one whatever
 * NODE_ENV says when it is started; under vitest it is the test process's NODE_ENV. The one answer to
 * "is this production?" in the app: nothing reads NODE_ENV at run time.
 */
export const productionBuild = process.env.NODE_ENV === 'production';

/** Discord's REST base, without a version: the control plane adds the one it speaks (discord/api.ts). */
const DISCORD_API = 'https://discord.com/api';

export const env = createEnv({
  server: {
    /**
     * Signs and encrypts session cookies: at least 32 characters (`npx auth secret`), always required.
     * `pnpm dev` generates one per checkout (.guildmint/auth-secret).
     */
    AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters'),
    /** The public URL (Auth.js reads it too). Required in production, and https there except on loopback. */
    AUTH_URL: z.url().optional(),
    /** A Discord application for "Log in with Discord". */
    AUTH_DISCORD_ID: z.string().min(1).optional(),
    AUTH_DISCORD_SECRET: z.string().min(1).optional(),
    /** Discord's authorize page; point it at the Discord simulator in development and tests. */
    AUTH_DISCORD_AUTHORIZATION_URL: z.url().optional(),
    /**
     * The Discord API the control plane calls with users' OAuth2 tokens (token refresh, /users/@me,
     * /users/@me/guilds), without a version. Separate from the bot's DISCORD_API_URL, which may be a REST
     * proxy: users' tokens never go through it.
     */
    DISCORD_OAUTH_API_URL: z.url().default(DISCORD_API),
    /** `1` turns on the development login (only outside a production build, only on loopback). */
    GUILDMINT_DEV_LOGIN: z.literal('1').optional(),
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
    /** A `file:` economy's writer on a thread of its own (`1`, the default) or on the server's thread (`0`): see settings.ts. */
    GUILDMINT_ECONOMY_WRITER_THREAD: z.enum(['0', '1']).default('1'),
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
    /** Stripe Billing (plans): the secret key; absent, the billing page offers no upgrade. */
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_\w+$/, 'STRIPE_SECRET_KEY must be a Stripe secret key (sk_… or rk_…)')
      .optional(),
    /** The signing secret of the webhook endpoint `POST /api/webhooks/stripe` (whsec_…). */
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\w+$/, 'STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)')
      .optional(),
    /** The signing secret of the Connect endpoint (connected accounts' events), delivered to the same route. */
    STRIPE_CONNECT_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\w+$/, 'STRIPE_CONNECT_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)')
      .optional(),
    /** Stripe's API base; tests and `pnpm dev` point it at the loopback Stripe simulator. */
    STRIPE_API_URL: z.url().default('https://api.stripe.com'),
    /**
     * The secret the bot runtime presents to `POST /api/internal/packs` (a member's `/buy` of a currency
     * pack). Absent, the endpoint answers 503 and the bot sells no packs.
     */
    GUILDMINT_INTERNAL_SECRET: z
      .string()
      .min(32, 'GUILDMINT_INTERNAL_SECRET must be at least 32 characters')
      .optional(),
    /**
     * UnbelievaBoat's API base for imports (default its public API); tests point it at a loopback fake.
     * The owner's UnbelievaBoat token travels there: https in production, unless on loopback.
     */
    UNBELIEVABOAT_API_URL: z.url().optional(),
    /**
     * Encrypts webhook endpoint secrets at rest (AES-256-GCM): 32 random bytes in base64
     * (`openssl rand -base64 32`). Required in production; development builds use a fixed, public key.
     */
    GUILDMINT_SECRETS_KEY: z.string().min(1).optional(),
    /** Keys rotated out of GUILDMINT_SECRETS_KEY, comma-separated: still read, resealed at start. */
    GUILDMINT_SECRETS_KEY_PREVIOUS: z.string().min(1).optional(),
    /** Days a plan holds after a renewal payment fails (past_due), before the guild is on Free. */
    BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
    /** Tenants across PostgreSQL clusters (`a=postgres://…;b=postgres://…`), as the operator CLI and the runtime read it. */
    GUILDMINT_CLUSTERS: z.string().min(1).optional(),
    /** Guilds the development login manages, `id:name` separated by commas. */
    DEV_LOGIN_GUILDS: z.string().default('100000000000000001:Dev Guild,100000000000000002:Side Project'),
  },
  client: {},
  experimental__runtimeEnv: {},
  skipValidation: process.env.NEXT_PHASE === 'phase-production-build' || !!process.env.SKIP_ENV_VALIDATION,
  emptyStringAsUndefined: true,
  // Name each variable and its problem in the error itself (the default only logs them), so a refused
  // start says what to fix wherever its error ends up.
  onValidationError: (issues) => {
    const problems = issues.map((issue) => {
      const name = (issue.path ?? [])
        .map((p) => (typeof p === 'object' ? String(p.key) : String(p)))
        .join('.');
      return `${name}: ${issue.message}`;
    });
    throw new Error(`Invalid environment variables: ${problems.join('; ')}`);
  },
});
