import { ErrorCode, isGuildmintError, type Tenant } from '../../src/index.js';
import type { FailoverCluster, FailoverNode } from './services.js';

/** A caller's own deadline for one transfer across a failover (it retries with the same key until then). */
const CALLER_DEADLINE_MS = 60_000;

export interface FailoverRound {
  /** The ids acknowledged in this round (each the caller saw succeed). */
  acknowledged: string[];
  killed: FailoverNode;
  /** The longest time with no write acknowledged, from the last ack before the kill on (ms). */
  longestGapMs: number;
  /** From the kill to the end of that longest gap: when the new primary's first commits came back (ms). */
  recoveredAfterMs: number;
  /** Transfers acknowledged per second before the kill. */
  ratePerSecondBefore: number;
}

/**
 * One failover under load: `writers` callers acknowledge transfers to `tenant` at full speed, each retrying its
 * transfer with the same key while the store is unavailable; after `killAfter` acknowledgements the primary is
 * killed (kill -9 of its keeper and PostgreSQL); the round ends `drainAfter` acknowledgements after the first one
 * the new primary gave. Ids are `<prefix>-<n>`, spread over 50 members.
 */
export async function failoverRound(o: {
  cluster: FailoverCluster;
  tenant: Tenant;
  writers: number;
  killAfter: number;
  drainAfter?: number;
  prefix: string;
}): Promise<FailoverRound> {
  const killed = await o.cluster.primary();
  const acknowledged: string[] = [];
  const drainAfter = o.drainAfter ?? 200;
  let sequence = 0;
  const startedAt = Date.now();
  let killedAt = 0;
  let lastAck = 0;
  let firstAckAfter = 0;
  let longestGapMs = 0;
  let gapEndedAt = 0;
  let stop = false;

  const transfer = async (n: number) => {
    const deadline = Date.now() + CALLER_DEADLINE_MS;
    for (;;) {
      try {
        await o.tenant.ledger.transfer({
          id: `${o.prefix}-${n}`,
          from: 'faucet:seed',
          to: `user:${n % 50}`,
          amount: 1n,
          code: 'faucet.seed',
        });
        return;
      } catch (error) {
        // Only the store being unreachable during the switch may happen, and only until the deadline.
        if (!isGuildmintError(error, ErrorCode.STORE_UNAVAILABLE) || Date.now() > deadline) throw error;
      }
    }
  };
  const writer = async () => {
    while (!stop) {
      const n = ++sequence;
      await transfer(n);
      acknowledged.push(`${o.prefix}-${n}`);
      const now = Date.now();
      if (killedAt) {
        if (now - lastAck > longestGapMs) {
          longestGapMs = now - lastAck;
          gapEndedAt = now;
        }
        firstAckAfter ||= now;
      }
      lastAck = now;
      if (!killedAt && acknowledged.length >= o.killAfter) {
        killedAt = now;
        o.cluster.kill(killed);
      }
      if (firstAckAfter && acknowledged.length >= o.killAfter + drainAfter) stop = true;
    }
  };
  await Promise.all(Array.from({ length: o.writers }, writer));
  return {
    acknowledged,
    killed,
    longestGapMs,
    recoveredAfterMs: gapEndedAt - killedAt,
    ratePerSecondBefore: (o.killAfter * 1000) / Math.max(1, killedAt - startedAt),
  };
}
