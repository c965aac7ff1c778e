import { describe, expect, it } from 'vitest';
import {
  blackjackSchema,
  coinflipSchema,
  diceSchema,
  rouletteSchema,
  slotsSchema,
} from '../config/schema.js';
import { blackjack } from './blackjack.js';
import { coinflip } from './coinflip.js';
import { dice } from './dice.js';
import { createDraws, type Draws } from './fairness.js';
import { type RouletteBet, roulette } from './roulette.js';
import { blackjackExpectation, blackjackStrategy, theoreticalRtp } from './rtp.js';
import { slots } from './slots.js';

/*
 * Return to player: theory (rtp.ts) against simulation through the real games and the real draw source
 * (HMAC-SHA256, one round per nonce, as in play). Each game plays ROUNDS rounds at the default maximum
 * bet, 10000 minor units, so flooring to whole units costs under 0.01 percentage points.
 *
 * Bound: |observed − theoretical| ≤ 0.5 percentage points. Each game's bet mix is chosen so that the
 * standard error of the observed RTP is at most 0.125 pp (asserted), i.e. the bound is ≥ 4 standard
 * errors wide: a correct engine fails with probability < 1e-4 per game whatever the seed, while an
 * error of a house edge, a payout or a strategy shows up as many standard errors.
 */

const SEED = process.env.GUILDMINT_SEED ?? 'guildmint-rtp-seed-2026';
const ROUNDS = 1_000_000;
const BET = 10_000n;
const BOUND = 0.005;
const MAX_STANDARD_ERROR = BOUND / 4;
const TIMEOUT = 180_000;

console.log(`rtp.test: seed "${SEED}" (set GUILDMINT_SEED to replay another), ${ROUNDS} rounds per game`);

type Round = { stake: bigint; payout: bigint };

/** Plays ROUNDS rounds on nonces 0, 1, 2, … and returns the observed RTP and its standard error. */
function simulate(game: string, theory: number, play: (draws: Draws, nonce: number) => Round) {
  const started = performance.now();
  let staked = 0n;
  let paid = 0n;
  // Sums in units of the bet for the variance of the ratio estimator paid / staked.
  let pp = 0;
  let ps = 0;
  let ss = 0;
  for (let nonce = 0; nonce < ROUNDS; nonce++) {
    const { stake, payout } = play(createDraws(SEED, `rtp-${game}`, nonce), nonce);
    staked += stake;
    paid += payout;
    const p = Number(payout) / Number(BET);
    const s = Number(stake) / Number(BET);
    pp += p * p;
    ps += p * s;
    ss += s * s;
  }
  const observed = Number(paid) / Number(staked);
  const meanStake = Number(staked) / Number(BET) / ROUNDS;
  const residual = Math.max(0, pp - 2 * observed * ps + observed * observed * ss);
  const standardError = Math.sqrt(residual / (ROUNDS * (ROUNDS - 1))) / meanStake;
  const seconds = (performance.now() - started) / 1000;
  const pct = (x: number) => `${(100 * x).toFixed(3)} %`;
  console.log(
    `rtp ${game.padEnd(9)} theory ${pct(theory)} observed ${pct(observed)} ` +
      `diff ${(100 * (observed - theory)).toFixed(3)} pp (SE ${(100 * standardError).toFixed(3)} pp) ` +
      `${ROUNDS} rounds ${seconds.toFixed(1)} s`,
  );
  return { observed, standardError };
}

function expectClose(game: string, theory: number, play: (draws: Draws, nonce: number) => Round): void {
  const { observed, standardError } = simulate(game, theory, play);
  expect(standardError).toBeLessThanOrEqual(MAX_STANDARD_ERROR);
  expect(Math.abs(observed - theory)).toBeLessThanOrEqual(BOUND);
}

/** A sample machine: RTP exactly 0.9529375 (enumerated independently), standard deviation ≈ 1.23 bets. */
const sampleReel = [
  ...Array<string>(5).fill('cherry'),
  ...Array<string>(6).fill('lemon'),
  ...Array<string>(4).fill('bell'),
  ...Array<string>(3).fill('bar'),
  ...Array<string>(2).fill('seven'),
];
const slotsConfig = slotsSchema.parse({
  reels: [sampleReel, sampleReel, sampleReel],
  paytable: [
    { symbols: ['seven', 'seven', 'seven'], multiplierBps: 200_000 },
    { symbols: ['bar', 'bar', 'bar'], multiplierBps: 100_000 },
    { symbols: ['bell', 'bell', 'bell'], multiplierBps: 50_000 },
    { symbols: ['cherry', 'cherry', 'cherry'], multiplierBps: 40_000 },
    { symbols: ['lemon', 'lemon', 'lemon'], multiplierBps: 30_000 },
    { symbols: ['cherry', 'cherry', '*'], multiplierBps: 20_000 },
    { symbols: ['cherry', '*', '*'], multiplierBps: 15_000 },
    { symbols: ['*', '*', 'cherry'], multiplierBps: 12_500 },
    { symbols: ['*', 'lemon', '*'], multiplierBps: 7_500 },
  ],
});

describe('theoretical RTP', () => {
  it('coinflip, dice and roulette follow from their formulas', () => {
    expect(theoreticalRtp('coinflip', coinflipSchema.parse({}))).toBeCloseTo(0.98, 12);
    expect(theoreticalRtp('coinflip', coinflipSchema.parse({ houseEdgeBps: 0 }))).toBe(1);
    expect(theoreticalRtp('dice', diceSchema.parse({}))).toBeCloseTo(0.99, 12);
    expect(theoreticalRtp('dice', diceSchema.parse({ houseEdgeBps: 250 }))).toBeCloseTo(0.975, 12);
    expect(theoreticalRtp('roulette', rouletteSchema.parse({}))).toBeCloseTo(36 / 37, 12);
  });

  it('enumerating every draw of coinflip, dice and roulette reproduces the theory (up to flooring)', () => {
    /** A draw source that always gives `value`: one round per possible value. */
    const fixed = (value: number): Draws => ({ position: 0, nextInt: () => value, advanceTo: () => {} });
    const mean = (outcomes: number, pay: (draws: Draws) => bigint) => {
      let paid = 0n;
      for (let v = 0; v < outcomes; v++) paid += pay(fixed(v));
      return Number(paid) / Number(BET) / outcomes;
    };
    const flip = coinflipSchema.parse({});
    for (const side of ['heads', 'tails'] as const) {
      expect(mean(2, (d) => coinflip.start(d, flip, { side }, BET).payout)).toBe(
        theoreticalRtp('coinflip', flip),
      );
    }
    const diceConfig = diceSchema.parse({});
    for (const input of [
      { target: 2, direction: 'under' },
      { target: 33.33, direction: 'under' },
      { target: 98, direction: 'under' },
      { target: 2, direction: 'over' },
      { target: 66.66, direction: 'over' },
      { target: 98, direction: 'over' },
    ]) {
      const choice = dice.parseInput(input, diceConfig);
      const rtp = mean(10_000, (d) => dice.start(d, diceConfig, choice, BET).payout);
      // Flooring keeps less than one minor unit of the one winning payout per round.
      expect(rtp).toBeLessThanOrEqual(theoreticalRtp('dice', diceConfig));
      expect(rtp).toBeGreaterThan(theoreticalRtp('dice', diceConfig) - 1 / Number(BET));
    }
    const wheel = rouletteSchema.parse({});
    const bets: RouletteBet[] = ['red', 'black', 'odd', 'even', 'low', 'high', 0, 17, 36];
    for (const on of bets) {
      expect(mean(37, (d) => roulette.start(d, wheel, { on }, BET).payout)).toBeCloseTo(36 / 37, 12);
    }
  });

  it('slots enumerates every combination of stops, first matching line only', () => {
    expect(theoreticalRtp('slots', slotsConfig)).toBeCloseTo(0.9529375, 12);
    const small = slotsSchema.parse({
      reels: [
        ['a', 'b'],
        ['a', 'b'],
        ['a', 'b', 'c', 'd'],
      ],
      paytable: [
        { symbols: ['a', 'a', 'a'], multiplierBps: 160_000 },
        { symbols: ['a', '*', '*'], multiplierBps: 10_000 },
      ],
    });
    // a a a: 1/16 × 16; any other a _ _: (8 − 1)/16 × 1.
    expect(theoreticalRtp('slots', small)).toBeCloseTo(1 + 7 / 16, 12);
  });

  it('blackjack strategy is textbook basic strategy (no split)', () => {
    const s17 = blackjackStrategy(blackjackSchema.parse({}));
    const h17 = blackjackStrategy(blackjackSchema.parse({ dealerHitsSoft17: true }));
    const hard = (total: number, firstTwo = true) => ({ total, soft: false, firstTwo });
    const soft = (total: number, firstTwo = true) => ({ total, soft: true, firstTwo });
    expect(s17.decide(hard(16), '10')).toBe('hit');
    expect(s17.decide(hard(16), '6')).toBe('stand');
    expect(s17.decide(hard(12), '2')).toBe('hit');
    expect(s17.decide(hard(12), '4')).toBe('stand');
    expect(s17.decide(hard(11), '6')).toBe('double');
    expect(s17.decide(hard(11, false), '6')).toBe('hit');
    expect(s17.decide(hard(11), 'A')).toBe('hit');
    expect(h17.decide(hard(11), 'A')).toBe('double');
    expect(s17.decide(hard(10), 'K')).toBe('hit');
    expect(s17.decide(hard(9), '3')).toBe('double');
    expect(s17.decide(hard(9), '2')).toBe('hit');
    expect(s17.decide(hard(17), 'A')).toBe('stand');
    expect(s17.decide(soft(18), '9')).toBe('hit');
    expect(s17.decide(soft(18), '2')).toBe('stand');
    expect(h17.decide(soft(18), '2')).toBe('double');
    expect(s17.decide(soft(18, false), '5')).toBe('stand');
    expect(s17.decide(soft(17), '3')).toBe('double');
    expect(s17.decide(soft(13), '6')).toBe('double');
    expect(s17.decide(soft(13), '4')).toBe('hit');
    expect(s17.decide(soft(21, false), '10')).toBe('stand');
  });

  it('blackjack expectation: optimal play without splitting gives up about 1 % per hand', () => {
    const s17 = blackjackExpectation(blackjackSchema.parse({}));
    const h17 = blackjackExpectation(blackjackSchema.parse({ dealerHitsSoft17: true }));
    expect(s17.evPerBet).toBeGreaterThan(-0.012);
    expect(s17.evPerBet).toBeLessThan(-0.009);
    expect(h17.evPerBet).toBeLessThan(s17.evPerBet);
    expect(s17.rtp).toBeCloseTo(1 + s17.evPerBet / (1 + s17.doubleRate), 12);
    // 6:5 instead of 3:2 costs 0.3 × P(player natural, no dealer natural) ≈ 0.3 × 0.0465.
    const sixFive = blackjackExpectation(blackjackSchema.parse({ blackjackPayoutBps: 12_000 }));
    expect(s17.evPerBet - sixFive.evPerBet).toBeCloseTo(0.3 * 2 * (1 / 13) * (4 / 13) * (1 - 0.0473), 3);
  });
});

describe('simulated RTP matches theory', () => {
  it(
    'coinflip',
    () => {
      const config = coinflipSchema.parse({});
      const sides = [coinflip.parseInput({ side: 'heads' }), coinflip.parseInput({ side: 'tails' })];
      expectClose('coinflip', theoreticalRtp('coinflip', config), (draws, nonce) => ({
        stake: BET,
        payout: coinflip.start(draws, config, sides[nonce % 2]!, BET).payout,
      }));
    },
    TIMEOUT,
  );

  it(
    'dice',
    () => {
      const config = diceSchema.parse({});
      // Win chances between 1/3 and 3/4 in both directions keep the standard error near 0.1 pp.
      const choices = [
        { target: 50, direction: 'under' },
        { target: 50, direction: 'over' },
        { target: 33.33, direction: 'under' },
        { target: 66.66, direction: 'over' },
        { target: 75, direction: 'under' },
        { target: 24.99, direction: 'over' },
      ].map((input) => dice.parseInput(input, config));
      expectClose('dice', theoreticalRtp('dice', config), (draws, nonce) => ({
        stake: BET,
        payout: dice.start(draws, config, choices[nonce % choices.length]!, BET).payout,
      }));
    },
    TIMEOUT,
  );

  it(
    'slots',
    () => {
      expectClose('slots', theoreticalRtp('slots', slotsConfig), (draws) => ({
        stake: BET,
        payout: slots.start(draws, slotsConfig, {}, BET).payout,
      }));
    },
    TIMEOUT,
  );

  it(
    'roulette',
    () => {
      const config = rouletteSchema.parse({});
      // Outside bets in turn; every 74th round a single number (each of 0–36 in turn), which keeps
      // the standard error near 0.12 pp while every bet type is played.
      const outside: RouletteBet[] = ['red', 'black', 'odd', 'even', 'low', 'high'];
      expectClose('roulette', theoreticalRtp('roulette', config), (draws, nonce) => {
        const on = nonce % 74 === 73 ? Math.floor(nonce / 74) % 37 : outside[nonce % 6]!;
        return { stake: BET, payout: roulette.start(draws, config, { on }, BET).payout };
      });
    },
    TIMEOUT,
  );

  it(
    'blackjack (optimal strategy)',
    () => {
      const config = blackjackSchema.parse({});
      const strategy = blackjackStrategy(config);
      expectClose('blackjack', theoreticalRtp('blackjack', config), (draws) => {
        let step = blackjack.start(draws, config, {}, BET);
        let stake = BET;
        while (!step.finished) {
          // Decide from what the player sees: their hand, the up card, the offered actions.
          const { player, dealer, options } = step.outcome;
          const action = strategy.decide(
            { total: player.total, soft: player.soft, firstTwo: options.includes('double') },
            dealer.cards[0]!,
          );
          step = blackjack.act(draws, config, step.state!, action);
          stake += step.extraStake ?? 0n;
        }
        return { stake, payout: step.payout };
      });
    },
    TIMEOUT,
  );
});
