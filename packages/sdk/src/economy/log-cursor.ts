import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, invalidInput, isGuildmintError } from '../errors.js';
import { readScope } from '../stores/types.js';

const KEY = 'audit';

/**
 * Where a follower of the audit log, the config history and the anomaly scans (the runtime's log channel)
 * has got to.
 */
export interface LogPosition {
  /** The newest audit entry handled (its id); null: none yet. */
  auditId: string | null;
  /** The newest config version handled (0: none). */
  configVersion: number;
  /** Transfers up to this moment (ms since the epoch) were scanned for anomalies (0: none yet). */
  anomaliesAt: number;
}

/** A stored position and the version `advanceLogCursor` guards, so two followers never both take a step. */
export interface LogCursor extends LogPosition {
  readonly version: number;
}

/** The log cursor (state scope `log-cursor`), or null when nothing has followed the logs yet. */
export async function logCursor(ctx: TenantContext): Promise<LogCursor | null> {
  const row = (await readScope(ctx.store, ctx.tenant, STATE.logCursor, [KEY])).get(KEY);
  if (!row?.json) return null;
  const stored = JSON.parse(row.json) as Partial<LogPosition>;
  return {
    auditId: stored.auditId ?? null,
    configVersion: stored.configVersion ?? 0,
    anomaliesAt: stored.anomaliesAt ?? 0,
    version: Number(row.version),
  };
}

/**
 * Moves the cursor from `from` (what `logCursor` read; null: none) to `to`, only if nobody moved it
 * meanwhile: false when another process did (it then handles those entries; read the cursor again).
 */
export async function advanceLogCursor(
  ctx: TenantContext,
  from: LogCursor | null,
  to: LogPosition,
): Promise<boolean> {
  if (from !== null && (!Number.isSafeInteger(from.version) || from.version < 1))
    throw invalidInput('from', 'must be what logCursor() returned, or null');
  if (typeof to !== 'object' || to === null) throw invalidInput('to', 'must be a log position');
  if (
    to.auditId !== null &&
    (typeof to.auditId !== 'string' || to.auditId.length === 0 || to.auditId.length > 128)
  )
    throw invalidInput('to.auditId', 'must be an audit entry id, or null');
  for (const field of ['configVersion', 'anomaliesAt'] as const) {
    if (!Number.isSafeInteger(to[field]) || to[field] < 0)
      throw invalidInput(`to.${field}`, 'must be a whole number, 0 or more');
  }
  try {
    await ctx.submit({
      transfers: [],
      batchId: null,
      effects: [
        {
          kind: 'set',
          scope: STATE.logCursor,
          key: KEY,
          value: BigInt(to.configVersion),
          json: JSON.stringify({
            auditId: to.auditId,
            configVersion: to.configVersion,
            anomaliesAt: to.anomaliesAt,
          }),
          version: BigInt(from?.version ?? 0),
          fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'the log cursor moved meanwhile' },
        },
      ],
    });
    return true;
  } catch (error) {
    if (isGuildmintError(error) && error.code === ErrorCode.CONCURRENT_UPDATE) return false;
    throw error;
  }
}
