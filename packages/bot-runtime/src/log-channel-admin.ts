import type { AuditLogEntry, EconomyConfig } from '@guildmint/sdk';
import { formatAmount } from './format.js';
import type { LogEvent } from './log-channel.js';
import { mention } from './replies.js';

/** Audit entries that are the system's bookkeeping, not an admin's action: never posted. */
const BOOKKEEPING: ReadonlySet<string> = new Set(['plan.entitlement', 'policy.faucetMultiplier']);
const MAX_REASON = 120;

/**
 * The log line for admin actions read from the audit log (a run of imports by one actor comes as one
 * line), or null for the system's own bookkeeping.
 */
export function auditEvent(run: readonly AuditLogEntry[], config: EconomyConfig): LogEvent | null {
  const entry = run[0]!;
  if (BOOKKEEPING.has(entry.action)) return null;
  const by = who(entry.actor);
  const target = entry.target === null ? 'the economy' : who(entry.target);
  const amount = (field: string) => amountOf(entry, field, config);
  const why = entry.reason ? ` — ${reasonText(entry.reason)}` : '';
  switch (entry.action) {
    case 'grant':
      return admin(`🛡️ ${by} granted **${amount('amount')}** to ${target}${why}`);
    case 'revoke':
      return admin(`🛡️ ${by} revoked **${amount('amount')}** from ${target}${why}`);
    case 'freeze':
      return admin(`🧊 ${by} froze ${target}'s wallet${why}`);
    case 'unfreeze':
      return admin(`🛡️ ${by} unfroze ${target}'s wallet${why}`);
    case 'rollback':
      return admin(
        `⏪ ${by} rolled back ${target}: ${Number(entry.details?.reversed ?? 0)} transfers reversed${why}`,
      );
    case 'reverse':
      return admin(`↩️ ${by} reversed a transfer to ${target}${why}`);
    case 'purchase.refund':
      return admin(`↩️ A pack purchase by ${target} was refunded: its coins were taken back`);
    case 'purchase.dispute':
      return admin(`↩️ A pack purchase by ${target} is disputed: its coins were taken back`);
    case 'import': {
      const total = run.reduce((sum, e) => sum + bigintOf(e.details?.wallet) + bigintOf(e.details?.bank), 0n);
      const members = run.length === 1 ? target : `${run.length} members`;
      return admin(`📥 ${by} imported **${formatAmount(total, config.currency)}** for ${members}`);
    }
    default:
      return admin(`🛡️ ${by}: ${code(entry.action)} on ${target}${why}`);
  }
}

/** The log line for a config version published (from the editor, the API, or `/eco`-less scripts). */
export function configEvent(v: { version: number; actor: string | null }): LogEvent {
  return admin(`⚙️ ${v.actor === null ? 'Someone' : who(v.actor)} published config version ${v.version}`);
}

function admin(text: string): LogEvent {
  return { kind: 'admin', text };
}

/** A Discord user (an actor id, or a member's `user:` account) as a mention; anything else as code. */
function who(actorOrAccount: string): string {
  const id = actorOrAccount.replace(/^user:/, '');
  if (/^\d{1,21}$/.test(id)) return mention(id);
  if (actorOrAccount.startsWith('api-key:')) return `API key ${code(actorOrAccount.slice(8))}`;
  return code(actorOrAccount);
}

function code(text: string): string {
  return `\`${text.replace(/[`\n\r]/g, ' ').slice(0, 64)}\``;
}

/** A reason on one line, without markdown that could break out of the line. */
function reasonText(reason: string): string {
  const flat = reason
    .replace(/\s+/g, ' ')
    .replace(/[*_`~|>]/g, '')
    .trim();
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON - 1)}…` : flat;
}

function amountOf(entry: AuditLogEntry, field: string, config: EconomyConfig): string {
  return formatAmount(bigintOf(entry.details?.[field]), config.currency);
}

function bigintOf(value: unknown): bigint {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : 0n;
}
