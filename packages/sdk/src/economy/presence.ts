import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode } from '../errors.js';
import { readScope } from '../stores/types.js';

const BOT_KEY = 'bot';

export interface Presence {
  /** Whether the bot is in the guild, as the runtime last reported. */
  present: boolean;
  /** When that was reported; null if never. */
  reportedAt: Date | null;
}

/** The runtime reports joining (GUILD_CREATE) and leaving (GUILD_DELETE) a guild; the control plane reads it. */
export async function reportPresence(ctx: TenantContext, present: boolean): Promise<void> {
  const now = ctx.clock.now();
  await ctx.submit({
    transfers: [],
    batchId: null,
    effects: [
      {
        kind: 'set',
        scope: STATE.presence,
        key: BOT_KEY,
        value: present ? BigInt(now.getTime()) : 0n,
        json: JSON.stringify({ present, reportedAt: now.toISOString() }),
        fail: { code: ErrorCode.CONCURRENT_UPDATE, message: 'presence changed meanwhile' },
      },
    ],
  });
}

export async function presence(ctx: TenantContext): Promise<Presence> {
  const row = (await readScope(ctx.store, ctx.tenant, STATE.presence, [BOT_KEY])).get(BOT_KEY);
  if (!row?.json) return { present: false, reportedAt: null };
  const stored = JSON.parse(row.json) as { present: boolean; reportedAt: string };
  return { present: stored.present, reportedAt: new Date(stored.reportedAt) };
}
