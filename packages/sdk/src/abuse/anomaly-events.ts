import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, isGuildmintError } from '../errors.js';
import { readScope } from '../stores/types.js';
import { type WebhookData, webhookEvent } from '../webhooks/events.js';
import type { AnomalyFlag } from './anomalies.js';

/** One flag, the same in every scan that finds it: its kind, accounts, and the hour or time it began. */
export function anomalySignature(flag: AnomalyFlag): string {
  const when =
    flag.kind === 'velocity' ? flag.detail.hour : flag.kind === 'circular' ? flag.detail.firstAt : null;
  return `${flag.kind}:${flag.accounts.join(',')}:${when?.getTime() ?? ''}`;
}

/**
 * Sends `anomaly.detected` once per flag: each flag no scan found before gets a state row (its
 * signature; it must not exist yet) and its event, in one transaction. A flag announced already, here
 * or by a concurrent scan, writes nothing.
 */
export async function announceAnomalies(ctx: TenantContext, flags: readonly AnomalyFlag[]): Promise<void> {
  if (flags.length === 0) return;
  const known = await readScope(ctx.store, ctx.tenant, STATE.anomaly, flags.map(anomalySignature));
  const now = ctx.clock.now();
  for (const flag of flags) {
    const key = anomalySignature(flag);
    if (known.has(key)) continue;
    await ctx
      .submit({
        transfers: [],
        batchId: null,
        effects: [
          {
            kind: 'set',
            scope: STATE.anomaly,
            key,
            value: BigInt(now.getTime()),
            version: 0n,
            fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'this anomaly was announced already' },
          },
        ],
        events: [webhookEvent(ctx.tenant, 'anomaly.detected', now, dataOf(flag))],
      })
      .catch((error: unknown) => {
        if (!isGuildmintError(error, ErrorCode.CONCURRENT_UPDATE)) throw error;
      });
  }
}

/** The flag as the event's data: times as ISO 8601, amounts as bigints (sent as strings). */
function dataOf(flag: AnomalyFlag): WebhookData {
  const detail: WebhookData = {};
  for (const [name, value] of Object.entries(flag.detail))
    detail[name] = value instanceof Date ? value.toISOString() : (value as WebhookData[string]);
  return { kind: flag.kind, accounts: [...flag.accounts], detail };
}
