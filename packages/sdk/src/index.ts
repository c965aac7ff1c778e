export { createEconomy, DEFAULT_STORAGE, type Economy, type EconomyOptions } from './economy.js';
export { ErrorCode, GuildmintError, type Issue, RetryLaterError, ValidationError, isGuildmintError } from './errors.js';
export { ACCOUNT_KINDS, type AccountKind } from './ledger/accounts.js';
export { MAX_AMOUNT } from './ledger/amounts.js';
export type { Ledger } from './ledger/ledger.js';
export type { Transfer, TransferInput, TransferPage, VerifyResult } from './ledger/types.js';
export type { Clock } from './stores/clock.js';
export type { Store } from './stores/types.js';
export type { Tenant } from './tenant.js';
