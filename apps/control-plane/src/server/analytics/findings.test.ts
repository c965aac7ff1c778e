import { describe, expect, it } from 'vitest';
import { type FindingInputs, findings } from './findings';

const base: FindingInputs = {
  headline: { inflation30dBps: 1_000n, gini: 0.3, top10ShareBps: 2_000n, members: 50 },
  inflationBand: { minBps: 500, maxBps: 2_500 },
  flows: {
    minted: [
      { source: 'faucet.daily', amount: 340n, shareBps: 3_400n },
      { source: 'faucet.work', amount: 330n, shareBps: 3_300n },
      { source: 'faucet.chat', amount: 330n, shareBps: 3_300n },
    ],
    burned: [{ source: 'sink.shop', amount: 600n, shareBps: 10_000n }],
  },
  games: [],
  active: { daily: [] },
  anomalies: [],
};
const rules = (x: Partial<FindingInputs>) => findings({ ...base, ...x }).map((f) => f.rule);

describe('findings (rules over the report, not a language model)', () => {
  it('says nothing about a healthy economy', () => {
    expect(findings(base)).toEqual([]);
  });

  it('inflation above the preset band: an alert quoting both, linking to the rewards', () => {
    const [f] = findings({ ...base, headline: { ...base.headline, inflation30dBps: 3_100n } });
    expect(f).toMatchObject({
      rule: 'inflation-high',
      severity: 'alert',
      numbers: { inflation: '31 %', band: '5 %–25 %' },
      link: { path: 'economy#section-faucets' },
    });
    expect(f!.text).toBe(
      'Inflation of 31 % over 30 days is above your band of 5 %–25 %: lower the rewards or add a sink.',
    );
    expect(rules({ headline: { ...base.headline, inflation30dBps: 400n } })).toEqual(['inflation-low']);
    expect(rules({ headline: { ...base.headline, inflation30dBps: null } })).toEqual([]);
  });

  it('names a faucet minting 40 % or more of new coins', () => {
    const minted = [
      { source: 'faucet.work', amount: 620n, shareBps: 6_200n },
      { source: 'faucet.daily', amount: 380n, shareBps: 3_800n },
    ];
    const [f] = findings({ ...base, flows: { ...base.flows, minted } });
    expect(f!.text).toBe('/work mints 62 % of new coins.');
    const granted = [{ ...minted[0]!, source: 'admin.grant' }, minted[1]!];
    expect(findings({ ...base, flows: { ...base.flows, minted: granted } })[0]!.text).toBe(
      'admin.grant mints 62 % of new coins.',
    );
  });

  it('weak sinks: under a quarter of what is minted burned', () => {
    expect(
      rules({ flows: { ...base.flows, burned: [{ source: 'sink.shop', amount: 249n, shareBps: 10_000n }] } }),
    ).toEqual(['weak-sinks']);
    expect(
      rules({ flows: { ...base.flows, burned: [{ source: 'sink.shop', amount: 250n, shareBps: 10_000n }] } }),
    ).toEqual([]);
  });

  it('concentration from Gini 0.6 among ten members or more', () => {
    expect(rules({ headline: { ...base.headline, gini: 0.6, top10ShareBps: 7_000n } })).toEqual([
      'concentrated',
    ]);
    expect(rules({ headline: { ...base.headline, gini: 0.9, members: 9 } })).toEqual([]);
  });

  it('a game outside its band after enough rounds; never before', () => {
    const game = {
      game: 'dice',
      rounds: 3_000,
      wagered: 3_000n,
      paidOut: 3_360n,
      observedRtp: 1.12,
      configuredRtp: 0.98,
      band: { low: 0.945, high: 1.015 },
    };
    const [f] = findings({ ...base, games: [game] });
    expect(f).toMatchObject({
      rule: 'rtp-high',
      severity: 'alert',
      numbers: { observed: '112.0 %', rounds: '3000' },
    });
    expect(rules({ games: [{ ...game, rounds: 99 }] })).toEqual([]);
    expect(rules({ games: [{ ...game, observedRtp: 0.9 }] })).toEqual(['rtp-low']);
    expect(rules({ games: [{ ...game, observedRtp: 1.0 }] })).toEqual([]);
  });

  it('a fall of daily actives of 30 % week on week', () => {
    const daily = (before: number, last: number) =>
      Array.from({ length: 14 }, (_, i) => ({
        start: `2026-06-${String(i + 1).padStart(2, '0')}`,
        members: i < 7 ? before : last,
      }));
    expect(rules({ active: { daily: daily(10, 7) } })).toEqual(['activity-drop']);
    expect(rules({ active: { daily: daily(10, 8) } })).toEqual([]);
  });

  it('new accounts feeding one member, linking to that member', () => {
    const [f] = findings({
      ...base,
      anomalies: [
        {
          kind: 'new-account-feeders',
          accounts: ['user:9', 'user:1', 'user:2', 'user:3'],
          detail: { target: 'user:9', feeders: 3, amount: 300n },
        },
      ],
    });
    expect(f).toMatchObject({ rule: 'new-account-feeders', link: { path: 'members/9' } });
    expect(f!.text).toBe('3 new accounts send most of their coins to member 9: possible alt farming.');
  });
});
