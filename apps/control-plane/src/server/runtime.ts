// No `import 'server-only'` here: API v1's Pages Router routes (src/pages/api/v1) import this module, and
// that guard throws outside the App Router's server layer. It can't reach a client bundle unnoticed anyway:
// it imports Node-only drivers.
import type { Economy } from '@guildmint/sdk';
import { Redis } from 'ioredis';
import { openApiKeyStore } from './api-keys';
import { Billing } from './billing/billing';
import { DiscordOwnerDm, noOwnerDm } from './billing/owner-dm';
import { openPackStore } from './billing/packs';
import { DiscordMemberDm, noMemberDm } from './billing/packs/member-dm';
import { Packs } from './billing/packs/packs';
import { createStripeClient } from './billing/stripe-client';
import { openPlatformStore, type PlatformStore } from './db';
import { DevGuildDirectory, DiscordGuildDirectory, RoutingGuildDirectory } from './discord/guilds';
import { DiscordRoleGrantChecker, refuseRoleGrants } from './discord/role-grants';
import { SimulationRunner } from './economy/simulation';
import { openImportRunStore } from './import';
import { planRequestsPerMinute } from './public-api/plan-limit';
import { createApiRateLimit } from './public-api/rate-limit';
import { createLimiter } from './rate-limit';
import { createEconomy } from './sdk';
import type { Services } from './services';
import { loadSettings, type Settings, type StripeSettings } from './settings';
import { openWebhookServices, startWebhookWorker } from './webhooks';

interface Runtime {
  settings: Settings;
  services: Services;
}

// One per process; kept on globalThis so `next dev` reloads do not open the databases again.
const holder = globalThis as typeof globalThis & { __guildmintRuntime?: Promise<Runtime> | undefined };

async function start(): Promise<Runtime> {
  const settings = loadSettings();
  const platform = openPlatformStore(settings.platformDatabase);
  // Guildmint's hosted control plane holds every tenant to its plan.
  const economy = createEconomy({
    storage: settings.economyStorage,
    writerThread: settings.economyWriterThread,
    enforcePlans: true,
  });
  // Migrations are applied at start, before the first request is served.
  await Promise.all([platform.migrate(), economy.migrate()]);
  const guilds = new RoutingGuildDirectory(
    settings.discord ? new DiscordGuildDirectory(platform, settings.discord) : null,
    settings.devLogin ? new DevGuildDirectory(settings.devLogin.guilds) : null,
  );
  // Rate limits only: a failed connection is logged and counting falls back to this process.
  const redis = settings.redisUrl ? new Redis(settings.redisUrl, { lazyConnect: false }) : undefined;
  redis?.on('error', (error: unknown) => console.error('control plane: Redis failed', error));
  // Loopback endpoints over http only in development builds (pnpm dev); production refuses them.
  const webhooks = openWebhookServices(
    settings.platformDatabase,
    settings.economyStorage,
    !settings.production,
    settings.secrets,
  );
  // Plain secrets (rows from before encryption) and ones under a rotated-out key: sealed under the current key.
  const { unreadable } = await webhooks.endpoints.resealSecrets();
  if (unreadable.length > 0)
    console.error(
      `webhooks: no configured key opens the secrets of endpoints ${unreadable.join(', ')} (GUILDMINT_SECRETS_KEY_PREVIOUS?)`,
    );
  const packsAndBilling = settings.stripe && billingOf(settings, settings.stripe, economy, platform);
  startWebhookWorker(webhooks, {
    owners: settings.bot ? new DiscordOwnerDm(settings.bot) : noOwnerDm,
    log: (message, error) => console.error(message, error),
  });
  return {
    settings,
    services: {
      platform,
      economy,
      guilds,
      limiter: createLimiter({
        points: 30,
        perSeconds: 60,
        keyPrefix: 'cp:mutations',
        ...(redis && { redis }),
      }),
      // About a dozen simulations or a hundred previews a minute per user and tenant (see economy/_router.ts).
      costs: createLimiter({ points: 120, perSeconds: 60, keyPrefix: 'cp:costly', ...(redis && { redis }) }),
      simulations: new SimulationRunner({ maxConcurrent: 2, timeoutMs: 45_000, cacheSize: 20 }),
      roleGrants: settings.bot ? new DiscordRoleGrantChecker(settings.bot) : refuseRoleGrants,
      invite: settings.invite,
      billing: packsAndBilling?.billing ?? null,
      packs: packsAndBilling?.packs ?? null,
      // Opened after migrate(): the platform store's migrations create its table.
      apiKeys: openApiKeyStore(settings.platformDatabase),
      imports: openImportRunStore(settings.platformDatabase),
      ...(settings.unbelievaBoatUrl && { unbelievaBoatUrl: settings.unbelievaBoatUrl }),
      apiRateLimit: createApiRateLimit({
        requestsPerMinute: planRequestsPerMinute(economy),
        ...(redis && { redis }),
      }),
      webhooks,
      now: () => new Date(),
    },
  };
}

/** Stripe Billing (plans) and currency packs (Connect): one Stripe client, one webhook route. */
function billingOf(
  settings: Settings,
  stripeSettings: StripeSettings,
  economy: Economy,
  platform: PlatformStore,
) {
  const stripe = createStripeClient(stripeSettings.secretKey, stripeSettings.apiUrl);
  const appUrl = settings.publicOrigin ?? 'http://localhost:3000';
  const log = (message: string, error?: unknown) => console.error(message, error);
  const packs = new Packs({
    stripe,
    economy,
    // Opened after migrate(): the platform store's migrations create its tables.
    store: openPackStore(settings.platformDatabase),
    members: settings.bot ? new DiscordMemberDm(settings.bot) : noMemberDm,
    appUrl,
    now: () => new Date(),
    log,
  });
  const billing = new Billing({
    stripe,
    webhookSecrets: stripeSettings.webhookSecrets,
    economy,
    owners: settings.bot ? new DiscordOwnerDm(settings.bot) : noOwnerDm,
    guildOf: async (tenantId) => (await platform.tenant(tenantId))?.guildId ?? null,
    graceDays: stripeSettings.graceDays,
    appUrl,
    log,
    connectEvents: packs,
  });
  return { packs, billing };
}

export function runtime(): Promise<Runtime> {
  holder.__guildmintRuntime ??= start().catch((error: unknown) => {
    holder.__guildmintRuntime = undefined;
    throw error;
  });
  return holder.__guildmintRuntime;
}
