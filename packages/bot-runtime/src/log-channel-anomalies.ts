import type { AnomalyFlag, EconomyConfig, Tenant } from '@guildmint/sdk';
import { formatAmount } from './format.js';
import type { LogChannel, LogEvent } from './log-channel.js';
import { mention } from './replies.js';

/** How far back the first scan of a guild looks. */
const FIRST_LOOK_MS = 3_600_000;
/** Flags remembered per guild, so one seen again in the next scan is not posted twice. */
const REMEMBERED = 1_000;

/**
 * Scans each guild's new transfers for anomalies (the SDK's detectors) on the runtime's periodic sweep,
 * for guilds whose log channel takes them, and posts each new flag once.
 */
export class AnomalyWatch {
  private readonly lastScan = new Map<string, number>();
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    private readonly logChannel: LogChannel,
    private readonly now: () => number,
  ) {}

  async check(guildId: string, tenant: Tenant, config: EconomyConfig): Promise<number> {
    const log = config.logChannel;
    if (!log.enabled || !log.events.includes('anomaly')) return 0;
    const now = this.now();
    const since = new Date(this.lastScan.get(guildId) ?? now - FIRST_LOOK_MS);
    const scan = await tenant.anomalies({ since });
    this.lastScan.set(guildId, now);
    let seen = this.seen.get(guildId);
    if (!seen || seen.size > REMEMBERED) {
      seen = new Set();
      this.seen.set(guildId, seen);
    }
    let posted = 0;
    for (const flag of scan.flags) {
      const signature = signatureOf(flag);
      if (seen.has(signature)) continue;
      seen.add(signature);
      this.logChannel.record(guildId, log, anomalyEvent(flag, config));
      posted++;
    }
    return posted;
  }
}

function signatureOf(flag: AnomalyFlag): string {
  const when =
    flag.kind === 'velocity' ? flag.detail.hour : flag.kind === 'circular' ? flag.detail.firstAt : '';
  return `${flag.kind}:${flag.accounts.join(',')}:${when instanceof Date ? when.getTime() : when}`;
}

export function anomalyEvent(flag: AnomalyFlag, config: EconomyConfig): LogEvent {
  const who = (account: string) => mention(account.replace(/^user:/, ''));
  const amount = (value: bigint) => formatAmount(value, config.currency);
  switch (flag.kind) {
    case 'velocity':
      return {
        kind: 'anomaly',
        text: `🚨 Unusual volume: ${who(flag.accounts[0])} moved **${amount(flag.detail.volume)}** in one hour`,
      };
    case 'circular':
      return {
        kind: 'anomaly',
        text: `🚨 Circular payments between ${who(flag.accounts[0])} and ${who(flag.accounts[1])} (${flag.detail.roundTrips} round trips)`,
      };
    case 'new-account-feeders':
      return {
        kind: 'anomaly',
        text: `🚨 ${who(flag.detail.target)} is fed by ${flag.detail.feeders} young accounts (**${amount(flag.detail.amount)}**)`,
      };
  }
}
