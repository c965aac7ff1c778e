import type { EconomyConfig, GameReturn } from '@guildmint/sdk';
import { gameReturns, previewTexts } from '../sdk';

/**
 * What a config implies, before anyone plays: the most each faucet lets one member mint per day
 * and each game's return to player (what members really get: exact at every bet the cap leaves alone,
 * as the SDK rounds payouts without bias). Analysis, not money movement: plain numbers of minor units.
 */

const DAY_SECONDS = 86_400;

export interface FaucetEmission {
  faucet: string;
  enabled: boolean;
  /** Mean reward of one claim (the midpoint of a ranged reward). */
  meanReward: number;
  /** Most claims per member per day; null when nothing but the rate limit bounds it. */
  claimsPerDay: number | null;
  /** meanReward × claimsPerDay; null when unbounded. */
  perMemberPerDay: number | null;
}

export interface ConfigPreview {
  faucets: FaucetEmission[];
  /** Sum over enabled faucets per active member per day; null when one of them is unbounded. */
  perMemberPerDay: number | null;
  /** The daily emission budget all faucets share (null: none). */
  dailyBudget: number | null;
  games: GameReturn[];
  /** Each custom reply text with example values (`texts`), as members would read it. */
  texts: Array<{ key: string; text: string }>;
}

export function faucetEmission(name: string, faucet: EconomyConfig['faucets'][string]): FaucetEmission {
  const meanReward =
    'fixed' in faucet.reward ? faucet.reward.fixed : (faucet.reward.min + faucet.reward.max) / 2;
  const byCooldown = faucet.cooldownSeconds > 0 ? DAY_SECONDS / faucet.cooldownSeconds : null;
  const claimsPerDay =
    byCooldown === null
      ? (faucet.dailyCap ?? null)
      : Math.min(byCooldown, faucet.dailyCap ?? Number.POSITIVE_INFINITY);
  return {
    faucet: name,
    enabled: faucet.enabled,
    meanReward,
    claimsPerDay,
    perMemberPerDay: claimsPerDay === null ? null : meanReward * claimsPerDay,
  };
}

export function previewConfig(config: EconomyConfig): ConfigPreview {
  const faucets = Object.entries(config.faucets).map(([name, faucet]) => faucetEmission(name, faucet));
  const enabled = faucets.filter((f) => f.enabled);
  const perMemberPerDay = enabled.some((f) => f.perMemberPerDay === null)
    ? null
    : enabled.reduce((sum, f) => sum + (f.perMemberPerDay ?? 0), 0);
  return {
    faucets,
    perMemberPerDay,
    dailyBudget: config.policy.dailyEmissionBudget,
    games: gameReturns(config.games),
    texts: previewTexts(config.texts),
  };
}
