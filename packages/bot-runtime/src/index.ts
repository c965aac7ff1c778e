export type {
  ButtonContext,
  Command,
  CommandContext,
  GuildConfig,
  MoneyOperation,
  Reply,
  SlashCommandData,
} from './command.js';
export { commandModules } from './commands/index.js';
export {
  type DevEnv,
  devEnvSchema,
  EnvError,
  envSchema,
  type LogLevel,
  loadDevEnv,
  loadEnv,
  type RuntimeEnv,
  runtimeOptionsFromEnv,
  shardPlanOf,
} from './env.js';
export {
  type DescribeOptions,
  describeError,
  type Friendly,
  RuntimeError,
  RuntimeErrorCode,
} from './errors.js';
export { type CurrencyFormat, formatAmount, formatNumber, parseAmount } from './format.js';
export type { HandledEvent } from './interactions.js';
export { CommandLoadError, CommandSet, type CommandTable, loadCommands } from './loader.js';
export { createLogger, type Logger } from './logger.js';
export { type HealthReport, RuntimeMetrics } from './metrics.js';
export { ControlPlanePackShop, type PackListing, type PackShop } from './packs.js';
export { createRuntime, type Runtime, type RuntimeEvents, type RuntimeOptions } from './runtime.js';
export type { FleetPlan } from './sharding.js';
export { parseShardIds, type ShardPlan, shardForGuild, shardRange } from './sharding.js';
export type { SyncResult } from './sync.js';
