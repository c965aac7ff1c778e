export { isSimulatorError, SimulatorError, SimulatorErrorCode } from './errors.js';
export type { EntitlementQuery, SkuKind } from './premium/store.js';
export { type ClickOptions, DiscordSimulator, type SelectOptions, type SlashOptions } from './simulator.js';
export { guildIdForShard, shardForGuild, snowflakeTime } from './snowflake.js';
export type {
  DiscordSimulatorOptions,
  SimGatewayEvent,
  SimGuild,
  SimIdentifyConcurrency,
  SimMember,
  SimOAuthApp,
  SimOAuthEndpoints,
  SimReply,
  SimRestCall,
  SimRestDelay,
  SimRestFault,
  SimShardTally,
  SimUser,
} from './types.js';
