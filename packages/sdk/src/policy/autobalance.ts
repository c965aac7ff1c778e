import { randomUUID } from 'node:crypto';
import type { PolicyConfig } from '../config/schema.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, isGuildmintError } from '../errors.js';
import { BPS_ONE } from '../events/index.js';
import { canonicalMetadata } from '../ledger/normalize.js';
import { FAUCET_MULTIPLIER, readFaucetMultiplier } from './faucet-multiplier.js';
import { ratioBps } from './measures.js';
import { computeStats } from './stats.js';

export type AutoBalanceConfig = PolicyConfig['autoBalance'];

/** One day of the economy, as the balancer judges it. */
export interface EmissionSample {
  /** minted − burned over the day. */
  netEmission: bigint;
  /** Money supply at the end of the day. */
  supply: bigint;
}

export interface MultiplierDecision {
  /** The multiplier to use from now on, bps (already clamped). */
  nextBps: number;
  /** What the emission asked for; `nextBps` may still equal the current value when clamped. */
  direction: 'up' | 'down' | 'hold';
  /** Net emission as bps of supply, truncated toward zero (null without a positive supply). For people. */
  emissionBps: number | null;
  why: string;
}

/**
 * The auto-balancer's rule, deterministic: one `stepBps` up when the day's net emission is below
 * `targetMinBps` of the supply, one step down when above `targetMaxBps`, otherwise hold; the result is
 * always clamped to [minMultiplierBps, maxMultiplierBps] (so a narrowed range pulls the multiplier in).
 * The band test is exact (`netEmission × 10000` against `target × supply`), with no rounding. No positive
 * supply: hold, as there is nothing to measure against. `enabled` is the caller's business.
 */
export function nextFaucetMultiplier(
  sample: EmissionSample,
  config: Omit<AutoBalanceConfig, 'enabled'>,
  currentBps: number,
): MultiplierDecision {
  const clamp = (bps: number) => Math.min(Math.max(bps, config.minMultiplierBps), config.maxMultiplierBps);
  const emission = ratioBps(sample.netEmission, sample.supply);
  if (emission === undefined) {
    return {
      nextBps: clamp(currentBps),
      direction: 'hold',
      emissionBps: null,
      why: 'no money supply to measure emission against',
    };
  }
  const scaled = sample.netEmission * 10_000n;
  const shown = `net emission ${emission} bps of supply`;
  if (scaled < BigInt(config.targetMinBps) * sample.supply) {
    return {
      nextBps: clamp(currentBps + config.stepBps),
      direction: 'up',
      emissionBps: Number(emission),
      why: `${shown} is below the target of ${config.targetMinBps} bps`,
    };
  }
  if (scaled > BigInt(config.targetMaxBps) * sample.supply) {
    return {
      nextBps: clamp(currentBps - config.stepBps),
      direction: 'down',
      emissionBps: Number(emission),
      why: `${shown} is above the target of ${config.targetMaxBps} bps`,
    };
  }
  return {
    nextBps: clamp(currentBps),
    direction: 'hold',
    emissionBps: Number(emission),
    why: `${shown} is within ${config.targetMinBps}..${config.targetMaxBps} bps`,
  };
}

export interface AutoBalanceResult {
  /**
   * `adjusted`: a new multiplier was recorded. `unchanged`: the rule (or the clamp) kept it.
   * `disabled`: `policy.autoBalance.enabled` is false. `already-adjusted`: this day was already acted on.
   * `concurrent`: another run recorded a change at the same moment; nothing written by this one.
   */
  outcome: 'adjusted' | 'unchanged' | 'disabled' | 'already-adjusted' | 'concurrent';
  beforeBps: number;
  afterBps: number;
  /** The UTC day judged: the last complete one. */
  day: string | null;
  netEmission: bigint | null;
  supply: bigint | null;
  why: string;
}

/** What the balancer stores beside the multiplier (`gm_state` json), so a day is acted on once. */
interface BalancerMemo {
  day: string;
  beforeBps: number;
  afterBps: number;
  why: string;
}

/**
 * Judges the last complete UTC day (yesterday: its flows are final, so every run that day decides the
 * same) and moves the faucet multiplier at most one step per day, however often it runs. The change is a
 * version-guarded `gm_state` write with an audit entry; `faucets.ts` applies the multiplier to rewards.
 * Meant to run from a daily (or more frequent) job per tenant.
 */
export async function runAutoBalancer(ctx: TenantContext): Promise<AutoBalanceResult> {
  const { config } = await ctx.config();
  const settings = config.policy.autoBalance;
  const row = await readFaucetMultiplier(ctx);
  const beforeBps = row ? Number(row.value) : BPS_ONE;
  const idle = { beforeBps, afterBps: beforeBps };
  if (!settings.enabled) {
    return {
      outcome: 'disabled',
      ...idle,
      day: null,
      netEmission: null,
      supply: null,
      why: 'auto-balancing is off',
    };
  }

  const stats = await computeStats(ctx);
  const judged = stats.daily.at(-2)!;
  const sample = { netEmission: judged.netEmission, supply: judged.supply };
  const facts = { day: judged.day, ...sample };
  const memo = row?.json ? (JSON.parse(row.json) as Partial<BalancerMemo>) : undefined;
  if (memo?.day === judged.day) {
    return { outcome: 'already-adjusted', ...idle, ...facts, why: `already adjusted for ${judged.day}` };
  }

  const decision = nextFaucetMultiplier(sample, settings, beforeBps);
  const why = `${judged.day}: ${decision.why}`;
  if (decision.nextBps === beforeBps) return { outcome: 'unchanged', ...idle, ...facts, why };

  const afterBps = decision.nextBps;
  const next: BalancerMemo = { day: judged.day, beforeBps, afterBps, why };
  try {
    await ctx.submit({
      transfers: [],
      batchId: null,
      effects: [
        {
          kind: 'set',
          ...FAUCET_MULTIPLIER,
          value: BigInt(afterBps),
          json: JSON.stringify(next),
          version: row?.version ?? 0n,
          fail: {
            code: ErrorCode.CONCURRENT_UPDATE,
            message: 'the faucet multiplier changed while balancing',
          },
        },
      ],
      audit: [
        {
          id: randomUUID(),
          actor: 'autobalancer',
          action: 'policy.faucetMultiplier',
          target: null,
          reason: why,
          details: canonicalMetadata({
            before: beforeBps,
            after: afterBps,
            why: decision.why,
            day: judged.day,
            netEmission: judged.netEmission.toString(),
            supply: judged.supply.toString(),
          }),
          createdAt: ctx.clock.now(),
        },
      ],
    });
  } catch (error) {
    if (!isGuildmintError(error, ErrorCode.CONCURRENT_UPDATE)) throw error;
    return {
      outcome: 'concurrent',
      ...idle,
      ...facts,
      why: 'another run changed the multiplier at the same moment',
    };
  }
  return { outcome: 'adjusted', beforeBps, afterBps, ...facts, why };
}
