import type { Economy } from '@guildmint/sdk';
import type { ApiKeyStore } from './api-keys';
import type { Billing } from './billing/billing';
import type { Packs } from './billing/packs/packs';
import type { PlatformStore } from './db';
import type { GuildDirectory } from './discord/guilds';
import type { RoleGrantChecker } from './discord/role-grants';
import type { SimulationRunner } from './economy/simulation';
import type { ImportRunStore } from './import';
import type { ApiRateLimit } from './public-api/rate-limit';
import type { Limiter } from './rate-limit';
import type { WebhookServices } from './webhooks';

/** How the bot is invited: Discord's authorize page and the bot's application id. */
export interface InviteSettings {
  authorizeUrl: string;
  applicationId: string;
}

/**
 * Everything a request handler needs, built once per process (see runtime.ts) and passed in through
 * the tRPC context, so tests build the same thing around a temp database.
 */
export interface Services {
  platform: PlatformStore;
  economy: Economy;
  guilds: GuildDirectory;
  /** Mutations per user. */
  limiter: Limiter;
  /** CPU-heavy calls (preview, simulate) per user and tenant, weighted by their cost. */
  costs: Limiter;
  simulations: SimulationRunner;
  /** Whether a publisher may have the bot grant the roles a config's shop items give. */
  roleGrants: RoleGrantChecker;
  invite: InviteSettings | null;
  /** Stripe Billing for plans (null: not configured). */
  billing: Billing | null;
  /** Currency packs through Stripe Connect (null: Stripe not configured). */
  packs: Packs | null;
  /** API keys (in the platform database). */
  apiKeys: ApiKeyStore;
  /** Where balance imports stand (in the platform database), so a restarted import continues. */
  imports: ImportRunStore;
  /** UnbelievaBoat's API (tests point it at a loopback fake). */
  unbelievaBoatUrl?: string;
  /** API v1 requests per key, by the tenant's plan. */
  apiRateLimit: ApiRateLimit;
  /** Outbound webhooks: endpoints (platform database) and the economy's outbox and delivery log. */
  webhooks: WebhookServices;
  now(): Date;
}
