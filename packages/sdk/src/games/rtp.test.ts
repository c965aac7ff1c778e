import { describe, expect, it } from 'vitest';
import { presets } from '../config/presets.js';
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
import { blackjackExpectation, blackjackStrategy, gameReturns, theoreticalRtp } from './rtp.js';
import { slots } from './slots.js';
import { everyDraw, sum } from './test-support.js';

/*
 * Return to player: theory (rtp.ts) against simulation through the real games and the real draw source
 * (HMAC-SHA256, one round per nonce, as in play). Each game plays ROUNDS rounds at its config's minimum
 * bet and again at its maximum bet. The minimum is where whole-unit payouts once cost members the most
 * (a floored coinflip win on 10 paid 19, not 19.6: 95 % instead of 98 %); the test configs allow 5, below
 * the default 10, so that every game's wins carry fractions there (a 3:2 natural on 10 would be whole).
 *
 * Bound: |observed − theoretical| ≤ 0.5 percentage points. Each game's bet mix is chosen so that the
 * standard error of the observed RTP is at most 0.125 pp (asserted), i.e. the bound is ≥ 4 standard
 * errors wide: a correct engine fails with probability < 1e-4 per game and bet whatever the seed (the
 * default seed is fixed, so the run is deterministic), while an error of a house edge, a payout, a
 * strategy or a rounding rule shows up as many standard errors.
 */

const SEED = process.env.GUILDMINT_SEED ?? 'guildmint-rtp-seed-2026';
const ROUNDS = 1_000_000;
const BET = 10_000n;
const MIN_BET = 5;
const BOUND = 0.005;
const MAX_STANDARD_ERROR = BOUND / 4;
const TIMEOUT = 180_000;
/** The bets each game is simulated at: its config's minimum and maximum. */
const BETS = [MIN_BET, Number(BET)];

console.log(
  `rtp.test: seed "${SEED}" (set GUILDMINT_SEED to replay another), ${ROUNDS} rounds per game and bet`,
);

type Round = { stake: bigint; payout: bigint };

/** A draw source whose first draw gives `value` and every later one 0 (everyDraw replaces the second). */
function startingWith(value: number): Draws {
  let taken = 0;
  return { position: 0, nextInt: () => (taken++ === 0 ? value : 0), advanceTo: () => {} };
}

/** Plays ROUNDS rounds at `bet` on nonces 0, 1, 2, … and returns the observed RTP and its standard error. */
function simulate(game: string, theory: number, bet: bigint, play: (draws: Draws, nonce: number) => Round) {
  const started = performance.now();
  let staked = 0n;
  let paid = 0n;
  // Sums in units of the bet for the variance of the ratio estimator paid / staked.
  let pp = 0;
  let ps = 0;
  let ss = 0;
  for (let nonce = 0; nonce < ROUNDS; nonce++) {
    const { stake, payout } = play(createDraws(SEED, `rtp-${game}-${bet}`, nonce), nonce);
    staked += stake;
    paid += payout;
    const p = Number(payout) / Number(bet);
    const s = Number(stake) / Number(bet);
    pp += p * p;
    ps += p * s;
    ss += s * s;
  }
  const observed = Number(paid) / Number(staked);
  const meanStake = Number(staked) / Number(bet) / ROUNDS;
  const residual = Math.max(0, pp - 2 * observed * ps + observed * observed * ss);
  const standardError = Math.sqrt(residual / (ROUNDS * (ROUNDS - 1))) / meanStake;
  const seconds = (performance.now() - started) / 1000;
  const pct = (x: number) => `${(100 * x).toFixed(3)} %`;
  console.log(
    `rtp ${game.padEnd(9)} bet ${String(bet).padStart(5)} theory ${pct(theory)} observed ${pct(observed)} ` +
      `diff ${(100 * (observed - theory)).toFixed(3)} pp (SE ${(100 * standardError).toFixed(3)} pp) ` +
      `${ROUNDS} rounds ${seconds.toFixed(1)} s`,
  );
  return { observed, standardError };
}

function expectClose(
  game: string,
  theory: number,
  bet: bigint,
  play: (draws: Draws, nonce: number) => Round,
): void {
  const { observed, standardError } = simulate(game, theory, bet, play);
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
  minBet: MIN_BET,
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

  it('enumerating every draw of coinflip, dice and roulette at bet 1, rounding included, gives the theory', () => {
    /** Mean payout per unit bet over every value of the game's draw and, after a win, of its rounding draw. */
    const mean = (outcomes: number, pay: (draws: Draws) => bigint) => {
      let total = 0;
      for (let v = 0; v < outcomes; v++) {
        const paid = everyDraw(() => startingWith(v), 1, pay);
        total += Number(sum(paid)) / paid.length;
      }
      return total / outcomes;
    };
    // Bet 1: a win pays 1.96, 1.98, … — the whole of a fraction rides on the rounding draw.
    const bet = 1n;
    const flip = coinflipSchema.parse({});
    for (const side of ['heads', 'tails'] as const) {
      expect(mean(2, (d) => coinflip.start(d, flip, { side }, bet).payout)).toBeCloseTo(
        theoreticalRtp('coinflip', flip),
        12,
      );
    }
    const diceConfig = diceSchema.parse({});
    // Targets with few winning rolls, so that every value of the rounding draw (one per winning roll)
    // can be tried for every roll.
    for (const input of [
      { target: 2, direction: 'under' },
      { target: 98, direction: 'over' },
    ]) {
      const choice = dice.parseInput(input, diceConfig);
      expect(mean(10_000, (d) => dice.start(d, diceConfig, choice, bet).payout)).toBeCloseTo(
        theoreticalRtp('dice', diceConfig),
        12,
      );
    }
    const wheel = rouletteSchema.parse({});
    const bets: RouletteBet[] = ['red', 'black', 'odd', 'even', 'low', 'high', 0, 17, 36];
    for (const on of bets) {
      expect(mean(37, (d) => roulette.start(d, wheel, { on }, bet).payout)).toBeCloseTo(36 / 37, 12);
    }
  });

  it('gameReturns: each game of a config, its RTP, and the first bet maxPayout can cut', () => {
    const classic = gameReturns(presets.classic.games);
    expect(classic.map((g) => [g.game, g.cappedFromBet])).toEqual([
      // 5000 × 1.96 = 9800 never reaches the 25000 cap.
      ['coinflip', null],
      // Over 98 wins 199 rolls and pays 9850/199 ≈ 49.5 × the bet: 505 × that is 24997.2, 506 × it 25045.
      ['dice', 506],
      // The 100 × jackpot: 250 pays exactly 25000, 251 more.
      ['slots', 251],
      // A single number pays 36 ×: 694 × 36 = 24984, 695 × 36 = 25020.
      ['roulette', 695],
      // A doubled win pays 4 × the bet: 4 × 5000 = 20000.
      ['blackjack', null],
    ]);
    for (const g of classic) {
      expect(g.enabled).toBe(true);
      const config = presets.classic.games[g.game]!;
      expect(g.rtp).toBe(theoreticalRtp(g.game as never, config as never));
    }
    expect(gameReturns({})).toEqual([]);
    // The first capped bet is exactly where a win starts to exceed the cap, whichever way it rounds.
    const flip = coinflipSchema.parse({ minBet: 10, maxBet: 1_000, maxPayout: 1_000 });
    const [coin] = gameReturns({ coinflip: { ...flip, maxPayout: 196 } } as never);
    expect(coin!.cappedFromBet).toBe(101);
    // Every way a winning flip (the first draw 0: heads) can round, without the cap.
    const uncapped = (bet: bigint) =>
      everyDraw(
        () => startingWith(0),
        1,
        (d) => coinflip.start(d, { ...flip, maxPayout: null }, { side: 'heads' }, bet).payout,
      );
    expect(uncapped(100n).every((p) => p <= 196n)).toBe(true);
    expect(uncapped(101n).every((p) => p > 196n)).toBe(true);
    // A cap that every allowed bet can reach starts at minBet.
    const [low] = gameReturns({
      roulette: rouletteSchema.parse({ minBet: 10, maxBet: 100, maxPayout: 100 }),
    });
    expect(low!.cappedFromBet).toBe(10);
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

describe.each(BETS)('simulated RTP matches theory at bet %i', (betUnits) => {
  const bet = BigInt(betUnits);
  it(
    'coinflip',
    () => {
      const config = coinflipSchema.parse({ minBet: MIN_BET });
      expect([config.minBet, config.maxBet]).toContain(Number(bet));
      const sides = [coinflip.parseInput({ side: 'heads' }), coinflip.parseInput({ side: 'tails' })];
      expectClose('coinflip', theoreticalRtp('coinflip', config), bet, (draws, nonce) => ({
        stake: bet,
        payout: coinflip.start(draws, config, sides[nonce % 2]!, bet).payout,
      }));
    },
    TIMEOUT,
  );

  it(
    'dice',
    () => {
      const config = diceSchema.parse({ minBet: MIN_BET });
      // Win chances between 1/3 and 3/4 in both directions keep the standard error near 0.1 pp.
      const choices = [
        { target: 50, direction: 'under' },
        { target: 50, direction: 'over' },
        { target: 33.33, direction: 'under' },
        { target: 66.66, direction: 'over' },
        { target: 75, direction: 'under' },
        { target: 24.99, direction: 'over' },
      ].map((input) => dice.parseInput(input, config));
      expectClose('dice', theoreticalRtp('dice', config), bet, (draws, nonce) => ({
        stake: bet,
        payout: dice.start(draws, config, choices[nonce % choices.length]!, bet).payout,
      }));
    },
    TIMEOUT,
  );

  it(
    'slots',
    () => {
      expectClose('slots', theoreticalRtp('slots', slotsConfig), bet, (draws) => ({
        stake: bet,
        payout: slots.start(draws, slotsConfig, {}, bet).payout,
      }));
    },
    TIMEOUT,
  );

  it(
    'roulette',
    () => {
      const config = rouletteSchema.parse({ minBet: MIN_BET });
      // Outside bets in turn; every 74th round a single number (each of 0–36 in turn), which keeps
      // the standard error near 0.12 pp while every bet type is played.
      const outside: RouletteBet[] = ['red', 'black', 'odd', 'even', 'low', 'high'];
      expectClose('roulette', theoreticalRtp('roulette', config), bet, (draws, nonce) => {
        const on = nonce % 74 === 73 ? Math.floor(nonce / 74) % 37 : outside[nonce % 6]!;
        return { stake: bet, payout: roulette.start(draws, config, { on }, bet).payout };
      });
    },
    TIMEOUT,
  );

  it(
    'blackjack (optimal strategy)',
    () => {
      const config = blackjackSchema.parse({ minBet: MIN_BET });
      const strategy = blackjackStrategy(config);
      expectClose('blackjack', theoreticalRtp('blackjack', config), bet, (draws) => {
        let step = blackjack.start(draws, config, {}, bet);
        let stake = bet;
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
