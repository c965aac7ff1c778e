import type { ActiveMembers, AnomalyFlag, FlowsBySource, Headline } from '@guildmint/sdk';
import type { ReportGame } from './report';

/**
 * Plain-language findings, each from one rule over the report's numbers (no language model): what it
 * says, the numbers behind it, and the editor section it talks about.
 */
export interface Finding {
  rule: string;
  severity: 'info' | 'warn' | 'alert';
  text: string;
  /** The numbers the text quotes, as shown. */
  numbers: Record<string, string>;
  /** Where to act: an editor section (`economy#section-…`) or a member page, relative to `/t/<id>/`. */
  link: { path: string; label: string };
}

export interface FindingInputs {
  headline: Pick<Headline, 'inflation30dBps' | 'gini' | 'top10ShareBps' | 'members'>;
  /** The preset's monthly inflation band, basis points. */
  inflationBand: { minBps: number; maxBps: number };
  flows: Pick<FlowsBySource, 'minted' | 'burned'>;
  games: readonly ReportGame[];
  active: Pick<ActiveMembers, 'daily'>;
  anomalies: readonly AnomalyFlag[];
}

/** A faucet minting at least this share of new coins is named. */
export const DOMINANT_FAUCET_BPS = 4_000n;
/** Sinks removing less than this share of what is minted are called weak. */
export const WEAK_SINKS_BPS = 2_500n;
export const CONCENTRATED_GINI = 0.6;
/** Rounds before a game's observed return is compared with its band. */
export const MIN_ROUNDS = 100;
/** A fall of daily actives this large, last 7 days against the 7 before, is reported. */
export const ACTIVITY_DROP_BPS = 3_000n;

const percent = (bps: bigint | number) => `${(Number(bps) / 100).toFixed(Number(bps) % 100 === 0 ? 0 : 1)} %`;
/** `faucet.work` → "/work" (the command members type); other codes as they are. */
const source = (code: string) => (code.startsWith('faucet.') ? `/${code.slice('faucet.'.length)}` : code);
const member = (account: string) => account.replace(/^user:/, '');

export function findings(x: FindingInputs): Finding[] {
  return [
    ...inflationFindings(x),
    ...faucetFindings(x),
    ...sinkFindings(x),
    ...concentrationFindings(x),
    ...gameFindings(x),
    ...activityFindings(x),
    ...anomalyFindings(x),
  ];
}

function inflationFindings({ headline, inflationBand }: FindingInputs): Finding[] {
  const inflation = headline.inflation30dBps;
  if (inflation === null) return [];
  const band = `${percent(inflationBand.minBps)}–${percent(inflationBand.maxBps)}`;
  const numbers = { inflation: percent(inflation), band };
  const link = { path: 'economy#section-faucets', label: 'Rewards in the editor' };
  if (inflation > BigInt(inflationBand.maxBps))
    return [
      {
        rule: 'inflation-high',
        severity: 'alert',
        text: `Inflation of ${numbers.inflation} over 30 days is above your band of ${band}: lower the rewards or add a sink.`,
        numbers,
        link,
      },
    ];
  if (inflation < BigInt(inflationBand.minBps))
    return [
      {
        rule: 'inflation-low',
        severity: 'warn',
        text: `Inflation of ${numbers.inflation} over 30 days is below your band of ${band}: members may run short of coins; raise the rewards or lower prices.`,
        numbers,
        link,
      },
    ];
  return [];
}

function faucetFindings({ flows }: FindingInputs): Finding[] {
  const top = flows.minted[0];
  if (!top || top.shareBps < DOMINANT_FAUCET_BPS || flows.minted.length < 2) return [];
  return [
    {
      rule: 'dominant-faucet',
      severity: 'info',
      text: `${source(top.source)} mints ${percent(top.shareBps)} of new coins.`,
      numbers: { source: top.source, share: percent(top.shareBps) },
      link: { path: 'economy#section-faucets', label: 'Rewards in the editor' },
    },
  ];
}

function sinkFindings({ flows }: FindingInputs): Finding[] {
  const minted = flows.minted.reduce((a, m) => a + m.amount, 0n);
  const burned = flows.burned.reduce((a, b) => a + b.amount, 0n);
  if (minted === 0n) return [];
  const shareBps = (burned * 10_000n) / minted;
  if (shareBps >= WEAK_SINKS_BPS) return [];
  return [
    {
      rule: 'weak-sinks',
      severity: 'warn',
      text: `Sinks remove only ${percent(shareBps)} of what is minted: add shop items, a transfer tax or fees.`,
      numbers: { minted: minted.toString(), burned: burned.toString(), share: percent(shareBps) },
      link: { path: 'economy#section-shop', label: 'Shop in the editor' },
    },
  ];
}

function concentrationFindings({ headline }: FindingInputs): Finding[] {
  if (headline.members < 10 || headline.gini < CONCENTRATED_GINI) return [];
  return [
    {
      rule: 'concentrated',
      severity: 'warn',
      text: `Wealth is concentrated: Gini ${headline.gini.toFixed(2)}, the richest tenth hold ${percent(headline.top10ShareBps)} of the coins. A wealth tax or capped rewards spread it.`,
      numbers: { gini: headline.gini.toFixed(2), top10: percent(headline.top10ShareBps) },
      link: { path: 'economy#section-policy', label: 'Policy in the editor' },
    },
  ];
}

function gameFindings({ games }: FindingInputs): Finding[] {
  return games.flatMap((g): Finding[] => {
    if (g.rounds < MIN_ROUNDS || g.observedRtp === null || g.band === null) return [];
    if (g.observedRtp >= g.band.low && g.observedRtp <= g.band.high) return [];
    const above = g.observedRtp > g.band.high;
    const shown = (x: number) => `${(x * 100).toFixed(1)} %`;
    return [
      {
        rule: above ? 'rtp-high' : 'rtp-low',
        severity: above ? 'alert' : 'warn',
        text: `${g.game} returned ${shown(g.observedRtp)} over ${g.rounds.toLocaleString('en-US')} rounds, outside the ${shown(g.band.low)}–${shown(g.band.high)} its config implies${above ? ': look for an exploit or a config mistake' : ''}.`,
        numbers: {
          observed: shown(g.observedRtp),
          band: `${shown(g.band.low)}–${shown(g.band.high)}`,
          rounds: String(g.rounds),
        },
        link: { path: 'economy#section-games', label: 'Games in the editor' },
      },
    ];
  });
}

function activityFindings({ active }: FindingInputs): Finding[] {
  const days = active.daily;
  if (days.length < 14) return [];
  const sum = (from: number, to: number) => days.slice(from, to).reduce((a, d) => a + d.members, 0);
  const last = sum(days.length - 7, days.length);
  const before = sum(days.length - 14, days.length - 7);
  if (before === 0) return [];
  const dropBps = (BigInt(before - last) * 10_000n) / BigInt(before);
  if (dropBps < ACTIVITY_DROP_BPS) return [];
  return [
    {
      rule: 'activity-drop',
      severity: 'warn',
      text: `Daily active members fell ${percent(dropBps)} this week against the week before: an event or a streak bonus brings people back.`,
      numbers: { lastWeek: String(last), weekBefore: String(before), drop: percent(dropBps) },
      link: { path: 'economy#section-events', label: 'Events in the editor' },
    },
  ];
}

function anomalyFindings({ anomalies }: FindingInputs): Finding[] {
  return anomalies.flatMap((flag): Finding[] => {
    if (flag.kind !== 'new-account-feeders') return [];
    const target = member(flag.detail.target);
    return [
      {
        rule: 'new-account-feeders',
        severity: 'alert',
        text: `${flag.detail.feeders} new accounts send most of their coins to member ${target}: possible alt farming.`,
        numbers: {
          feeders: String(flag.detail.feeders),
          amount: flag.detail.amount.toString(),
          member: target,
        },
        link: { path: `members/${target}`, label: `Member ${target}` },
      },
    ];
  });
}
