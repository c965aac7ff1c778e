import type { InteractionRegistry } from './interactions/registry.js';
import type { OAuthStore } from './oauth/store.js';
import type { PremiumStore } from './premium/store.js';
import type { SnowflakeGenerator } from './snowflake.js';
import type { CommandStore } from './state/commands.js';
import type { World } from './state/model.js';

/** Settings after defaults were applied. */
export interface SimSettings {
  applicationId: string;
  botToken: string;
  botUserId: string;
  recommendedShards: number;
  heartbeatIntervalMs: number;
  ackDeadlineMs: number;
  tokenLifetimeMs: number;
  replyTimeoutMs: number;
  strictCommands: boolean;
  /** `session_start_limit.max_concurrency`; enforced only with an identify window. */
  maxConcurrency: number;
  /** One IDENTIFY per concurrency bucket per this many ms; null: not enforced. */
  identifyWindowMs: number | null;
}

/**
 * What REST routes and interaction code share: the world, registered commands, live interactions, OAuth2
 * grants, SKUs and entitlements.
 */
export interface SimContext {
  readonly settings: SimSettings;
  readonly world: World;
  readonly commands: CommandStore;
  readonly interactions: InteractionRegistry;
  readonly oauth: OAuthStore;
  readonly premium: PremiumStore;
  readonly ids: SnowflakeGenerator;
  readonly now: () => number;
  apiUrl(): string;
  gatewayUrl(): string;
}
