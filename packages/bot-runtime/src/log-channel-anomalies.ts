import type { AnomalyFlag, EconomyConfig } from '@guildmint/sdk';
import { formatAmount } from './format.js';
import type { LogEvent } from './log-channel.js';
import { mention } from './replies.js';

/** Flags remembered per guild, so one seen again in the next scan is not posted twice. */
const REMEMBERED = 1_000;

/**
 * The flags of each guild's anomaly scans (the SDK's detectors, which `AuditFeed` runs on the sweep) not
 * posted before: a flag found again by the next scan (the same velocity hour, the same round trips) is
 * posted once.
 */
export class AnomalyWatch {
  private readonly seen = new Map<string, Set<string>>();

  fresh(guildId: string, flags: readonly AnomalyFlag[]): AnomalyFlag[] {
    let seen = this.seen.get(guildId);
    if (!seen || seen.size > REMEMBERED) {
      seen = new Set();
      this.seen.set(guildId, seen);
    }
    const fresh: AnomalyFlag[] = [];
    for (const flag of flags) {
      const signature = signatureOf(flag);
      if (seen.has(signature)) continue;
      seen.add(signature);
      fresh.push(flag);
    }
    return fresh;
  }

  /** Flags found but not posted: the next scan that finds them again posts them. */
  forget(guildId: string, flags: readonly AnomalyFlag[]): void {
    const seen = this.seen.get(guildId);
    for (const flag of flags) seen?.delete(signatureOf(flag));
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
