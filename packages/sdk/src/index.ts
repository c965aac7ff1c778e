export type { AnomalyFlag, AnomalyScan } from './abuse/anomalies.js';
export type { MemberRateLimiter } from './abuse/rate-limit.js';
export type { Analytics, Headline, StreakLengths } from './analytics/analytics.js';
export type {
  PublicLeaderboard,
  PublicLeaderboardQuery,
  PublicLeaderboardRow,
} from './analytics/leaderboard.js';
export type { RebuildOptions, RollupCheck, RollupDifference } from './analytics/rebuild.js';
export type {
  ActiveMembers,
  ActivePeriod,
  Distribution,
  FlowDay,
  FlowsBySource,
  GameFigures,
  IssuanceDay,
  ReportRange,
  ShopFigures,
  SupplyDay,
  Velocity,
  VelocityDay,
} from './analytics/report.js';
export { type Cache, memoryCache, redisCache } from './cache.js';
export { type BrandingConfig, brandingSchema, usesBranding } from './config/branding.js';
export { defineEconomy } from './config/define.js';
export { type InflationBand, type PresetName, presetInflationBands, presets } from './config/presets.js';
export { PROFILE_PARTS, type ProfileConfig, type ProfilePart } from './config/profile.js';
export type {
  BankConfig,
  BlackjackConfig,
  CoinflipConfig,
  DiceConfig,
  EconomyConfig,
  EconomyConfigInput,
  EventConfig,
  FaucetConfig,
  GameName,
  GamesConfig,
  LevelsConfig,
  LotteryConfig,
  PolicyConfig,
  RobberyConfig,
  RoleIncomeConfig,
  RouletteConfig,
  ShopItemConfig,
  SlotsConfig,
  StreakConfig,
} from './config/schema.js';
export { economyConfigSchema } from './config/schema.js';
export type { MemberContext } from './context/member-account.js';
export type { AdminOptions, AuditLogEntry } from './economy/admin.js';
export type { BankReceipt, Holdings } from './economy/bank.js';
export type { ClaimOptions, ClaimResult } from './economy/faucets.js';
export type { ActOptions, PlayInput, PlayResult } from './economy/games.js';
export type { ImportBalanceInput, ImportReceipt } from './economy/imports.js';
export { canChangeHands, type GiftResult } from './economy/items.js';
export type {
  ActivityResult,
  LevelRank,
  Levels,
  MessageActivity,
  NoRewardReason,
  VoiceActivity,
} from './economy/levels.js';
export { noActivityReward } from './economy/levels.js';
export type { LogCursor, LogPosition } from './economy/log-cursor.js';
export type { Lottery, LotteryDraw, LotteryStatus, TicketReceipt } from './economy/lottery.js';
export { LEADERBOARD_ORDERS, type LeaderboardOrder, type LeaderboardRow } from './economy/members.js';
export type { PayInput } from './economy/pay.js';
export type { Presence } from './economy/presence.js';
export type { Profile, ProfileOptions } from './economy/profile.js';
export { MAX_REASON_LENGTH, reasonProblem } from './economy/reason.js';
export type { Receipt } from './economy/receipt.js';
export type { RobberyInput, RobberyResult } from './economy/robbery.js';
export type { CollectResult, RoleIncomeLine } from './economy/role-income.js';
export type { InventoryEntry, PurchaseEffects, PurchaseReceipt } from './economy/shop.js';
export type { ProposeTradeInput, TradeResult, TradeSideInput } from './economy/trades.js';
export {
  type BackgroundErrorContext,
  type ConfigChangeListener,
  createEconomy,
  DEFAULT_STORAGE,
  type Economy,
  type EconomyOptions,
} from './economy.js';
export {
  ErrorCode,
  type ErrorLog,
  GuildmintError,
  type GuildmintErrorOf,
  InternalError,
  type Issue,
  isGuildmintError,
  RetryLaterError,
  setErrorLog,
  ValidationError,
} from './errors.js';
export {
  type BlackjackHand,
  type BlackjackOutcome,
  type BlackjackReason,
  type BlackjackResult,
  type BlackjackStrategy,
  blackjackStrategy,
  type Card,
  type CoinflipChoice,
  type CoinflipOutcome,
  type CoinSide,
  canonicalJson,
  checkRound,
  type DiceChoice,
  type DiceDirection,
  type DiceOutcome,
  GAME_ACTIONS,
  GAME_NAMES,
  type GameAction,
  type GameChoices,
  type GameConfigs,
  type GameOutcomes,
  type GameResult,
  type GameReturn,
  gameReturns,
  hashServerSeed,
  isGameAction,
  isGameName,
  type Json,
  type ProofParams,
  type RouletteBet,
  type RouletteChoice,
  type RouletteColor,
  type RouletteOutcome,
  type RouletteOutsideBet,
  type RoundCheck,
  type RoundMismatch,
  type RoundProof,
  type RtpArgs,
  type SlotsOutcome,
  theoreticalRtp,
  type VerifiableRound,
  verifyRound,
} from './games/index.js';
export { ACCOUNT_KINDS, type AccountKind } from './ledger/accounts.js';
export { MAX_AMOUNT, parseAmount } from './ledger/amounts.js';
export type { AuditNote } from './ledger/audit-note.js';
export type { EventNote } from './ledger/event-note.js';
export type { Ledger, ReverseOptions } from './ledger/ledger.js';
export type { Transfer, TransferInput, TransferPage, VerifyResult } from './ledger/types.js';
export { type LevelProgress, levelOf, xpForLevel, xpForNextLevel } from './levels/curve.js';
export type { VoicePresence, VoiceSession } from './levels/voice-session.js';
export { LOG_EVENT_KINDS, type LogChannelConfig, type LogEventKind } from './log-channel/config.js';
export { type LotteryDrawProof, type TicketList, verifyLotteryDraw } from './lottery/draw.js';
export { type ClusterStorage, parseClusters } from './placement/clusters.js';
export {
  isPlanName,
  PLAN_NAMES,
  type Plan,
  type PlanFeatures,
  type PlanLimits,
  type PlanName,
  plans,
} from './plans/catalog.js';
export type { EffectivePlan, PlanEntitlement } from './plans/entitlements.js';
export { assertFeature, assertWithinLimit, planUsageOf } from './plans/limits.js';
export type { AutoBalanceResult } from './policy/autobalance.js';
export type { DailyPoint, EconomyStats, FlowWindows } from './policy/stats.js';
export type {
  MemberListEntry,
  MemberListQuery,
  MemberPage,
  MemberProfileInput,
} from './profiles/profiles.js';
export { type RandomSource, seededRandom } from './random.js';
export type { RemoteHttpOptions, RemoteKeyEconomy, RemoteLedger, RemoteTenant } from './remote/index.js';
export {
  type RobberyOutcome,
  type RobberyParams,
  type RobberyProof,
  robberyChanceBps,
  verifyRobbery,
} from './robbery/decide.js';
export type { Clock } from './stores/clock.js';
export type { EconomyStore, EconomyStore as Store } from './stores/public-store.js';
export type { AuditCursor, ConfigChange } from './stores/types.js';
export type { StreakView } from './streaks/index.js';
export type { Tenant } from './tenant.js';
export {
  MAX_TEXT_LENGTH,
  neutraliseMentions,
  previewTexts,
  renderText,
  TEXT_KEYS,
  TEXT_PLACEHOLDERS,
  type TextKey,
  type TextsConfig,
} from './texts/templates.js';
export type { TradesConfig } from './trades/config.js';
export type { Trade, TradeSide, TradeStatus } from './trades/record.js';
export {
  WEBHOOK_EVENT_TYPES,
  type WebhookData,
  type WebhookEventType,
  type WebhookPayload,
} from './webhooks/events.js';
export { newWebhookSecret, signWebhook } from './webhooks/signature.js';
