import { describe, expect, it } from 'vitest';
import { blackjackSchema } from '../config/schema.js';
import { type BlackjackState, blackjack, handValue } from './blackjack.js';
import { createDraws } from './fairness.js';
import { everyDraw, expectInvalidInput, sum } from './test-support.js';

// Rounds picked by hand (client seed 'tests'); the cards each deals, in stream order (player, dealer up,
// player, dealer hole, then whatever the actions draw), are listed beside each nonce.
const SEED = 'guildmint-test-server-seed';
const draws = (nonce: number) => createDraws(SEED, 'tests', nonce);
const config = blackjackSchema.parse({});

function started(nonce: number): BlackjackState {
  const step = blackjack.start(draws(nonce), config, {}, 100n);
  expect(step.finished).toBe(false);
  return step.state!;
}

describe('blackjack', () => {
  it('takes no choice and checks actions', () => {
    expect(blackjack.parseInput({ bet: 100n })).toEqual({});
    expectInvalidInput(() => blackjack.act(draws(0), config, started(0), 'split'), 'action');
  });

  it('card values and soft totals', () => {
    expect(handValue(['A', 'K'])).toEqual({ total: 21, soft: true });
    expect(handValue(['A', 'A', '9'])).toEqual({ total: 21, soft: true });
    expect(handValue(['A', '6', 'K'])).toEqual({ total: 17, soft: false });
    expect(handValue(['Q', 'J', '2'])).toEqual({ total: 22, soft: false });
  });

  it('pays a natural bet + bet × blackjackPayoutBps at once', () => {
    // nonce 27: 10 6 A K — player 10 A, dealer 6 K.
    const step = blackjack.start(draws(27), config, {}, 100n);
    expect(step).toMatchObject({ payout: 250n, finished: true });
    expect(step.state).toBeUndefined();
    expect(step.outcome).toEqual({
      player: { cards: ['10', 'A'], total: 21, soft: true },
      dealer: { cards: ['6', 'K'], total: 16, soft: false },
      stake: '100',
      doubled: false,
      result: 'win',
      reason: 'blackjack',
      options: [],
      payout: '250',
    });
    expect(blackjack.start(draws(27), { ...config, blackjackPayoutBps: 12_000 }, {}, 100n).payout).toBe(220n);
    // 3 + 3 × 1.5 = 7.5: the draw after the four cards pays 8 for half its values, 7 for the other half.
    const paid = everyDraw(
      () => draws(27),
      4,
      (d) => blackjack.start(d, config, {}, 3n).payout,
    );
    expect(new Set(paid)).toEqual(new Set([7n, 8n]));
    expect(sum(paid)).toBe(3n * BigInt(paid.length) + (3n * 15_000n * BigInt(paid.length)) / 10_000n);
    expect(blackjack.start(draws(27), { ...config, maxPayout: 200 }, {}, 100n).payout).toBe(200n);
  });

  it('the dealer peeks: a dealer natural ends the round before the player acts', () => {
    // nonce 107: 8 A J 10 — ace up; nonce 20: 2 10 4 A — ten up.
    for (const nonce of [107, 20]) {
      const step = blackjack.start(draws(nonce), config, {}, 100n);
      expect(step).toMatchObject({ payout: 0n, finished: true });
      expect(step.outcome).toMatchObject({ result: 'lose', reason: 'dealer-blackjack', stake: '100' });
      expect(step.outcome.dealer.total).toBe(21);
    }
    // nonce 232: 10 A A 10 — both naturals push.
    const both = blackjack.start(draws(232), config, {}, 100n);
    expect(both).toMatchObject({ payout: 100n, finished: true });
    expect(both.outcome).toMatchObject({ result: 'push', reason: 'both-blackjack' });
  });

  it('hides the hole card while the player acts', () => {
    // nonce 0: K K K 5 | 2 — player K K, dealer K (5).
    const step = blackjack.start(draws(0), config, {}, 100n);
    expect(step).toMatchObject({ payout: 0n, finished: false });
    expect(step.outcome).toEqual({
      player: { cards: ['K', 'K'], total: 20, soft: false },
      dealer: { cards: ['K'], total: 10, soft: false },
      stake: '100',
      doubled: false,
      result: null,
      reason: null,
      options: ['hit', 'stand', 'double'],
      payout: '0',
    });
    expect(step.state).toEqual({ bet: '100', player: ['K', 'K'], dealer: ['K', '5'], position: 4 });
    expect(JSON.stringify(step.outcome)).not.toContain('"5"');
  });

  it('a bust loses at once and the dealer draws nothing', () => {
    const step = blackjack.act(draws(0), config, started(0), 'hit');
    expect(step).toMatchObject({ payout: 0n, finished: true });
    expect(step.outcome).toMatchObject({
      player: { cards: ['K', 'K', '2'], total: 22 },
      dealer: { cards: ['K', '5'], total: 15 },
      result: 'lose',
      reason: 'bust',
    });
  });

  it('stand: the dealer draws to 17 and the higher total wins 2×', () => {
    const step = blackjack.act(draws(0), config, started(0), 'stand');
    expect(step).toMatchObject({ payout: 200n, finished: true });
    expect(step.outcome).toMatchObject({
      dealer: { cards: ['K', '5', '2'], total: 17 },
      result: 'win',
      reason: 'higher',
    });
    // nonce 2: 7 10 5 Q — 12 against 20 loses.
    expect(blackjack.act(draws(2), config, started(2), 'stand')).toMatchObject({
      payout: 0n,
      outcome: { result: 'lose', reason: 'lower' },
    });
  });

  it('double: doubles the stake, draws one card, then stands', () => {
    // nonce 1: 3 6 3 10 | 8 Q — 3 3 doubles into 14; the dealer's 16 takes Q and busts.
    const step = blackjack.act(draws(1), config, started(1), 'double');
    expect(step).toMatchObject({ payout: 400n, finished: true, extraStake: 100n });
    expect(step.outcome).toMatchObject({
      player: { cards: ['3', '3', '8'], total: 14 },
      dealer: { cards: ['6', '10', 'Q'], total: 26 },
      stake: '200',
      doubled: true,
      result: 'win',
      reason: 'dealer-bust',
    });
    expect(blackjack.act(draws(1), { ...config, maxPayout: 300 }, started(1), 'double').payout).toBe(300n);
  });

  it('double only on the first two cards; a timeout ends the round with stand', () => {
    const hit = blackjack.act(draws(1), config, started(1), 'hit');
    expect(hit).toMatchObject({ payout: 0n, finished: false, outcome: { options: ['hit', 'stand'] } });
    expect(hit.extraStake).toBeUndefined();
    const state = hit.state!;
    expectInvalidInput(() => blackjack.act(draws(1), config, state, 'double'), 'action');
    // The integrator's timeout calls act('stand'), from a state read back from storage.
    const stored = blackjack.parseState(JSON.parse(JSON.stringify(state)));
    const stand = blackjack.act(draws(1), config, stored, 'stand');
    expect(stand).toMatchObject({ payout: 200n, finished: true });
    expect(stand.outcome).toMatchObject({ player: { total: 14 }, reason: 'dealer-bust' });
  });

  it('reaching 21 stands by itself; equal totals push', () => {
    // nonce 56: 5 8 8 2 | 8 10 A — 13 hits to 21, the dealer's 10 draws 10 and A to 21.
    const step = blackjack.act(draws(56), config, started(56), 'hit');
    expect(step).toMatchObject({ payout: 100n, finished: true });
    expect(step.outcome).toMatchObject({
      player: { cards: ['5', '8', '8'], total: 21 },
      dealer: { total: 21 },
      result: 'push',
      reason: 'equal',
    });
    // nonce 35: J A 8 7 — 18 against a soft 18 behind an ace (no dealer natural) pushes.
    expect(blackjack.act(draws(35), config, started(35), 'stand')).toMatchObject({
      payout: 100n,
      outcome: { dealer: { cards: ['A', '7'], total: 18, soft: true }, result: 'push' },
    });
  });

  it('dealer stands on soft 17 unless dealerHitsSoft17', () => {
    // nonce 187: 5 A Q 3 | 3 7 10 — the dealer's A 3 3 is soft 17.
    const s17 = blackjack.act(draws(187), config, started(187), 'stand');
    expect(s17).toMatchObject({ payout: 0n, outcome: { dealer: { cards: ['A', '3', '3'], total: 17 } } });
    const h17 = blackjack.act(draws(187), { ...config, dealerHitsSoft17: true }, started(187), 'stand');
    expect(h17).toMatchObject({
      payout: 200n,
      outcome: { dealer: { cards: ['A', '3', '3', '7', '10'], total: 24 }, reason: 'dealer-bust' },
    });
  });

  it('continues on the same draws object or on a fresh one, never on one ahead of the state', () => {
    const source = draws(1);
    const first = blackjack.start(source, config, {}, 100n);
    const same = blackjack.act(source, config, first.state!, 'hit');
    expect(same).toEqual(blackjack.act(draws(1), config, first.state!, 'hit'));
    const ahead = draws(1);
    ahead.advanceTo(10);
    expectInvalidInput(() => blackjack.act(ahead, config, first.state!, 'stand'), 'state');
  });

  it('checks a stored state', () => {
    const state = started(0);
    expect(blackjack.parseState(state)).toEqual(state);
    expectInvalidInput(() => blackjack.parseState({ ...state, bet: '-1' }), 'state.bet');
    expectInvalidInput(() => blackjack.parseState({ ...state, player: ['K', 'Z'] }), 'state.player.1');
    expectInvalidInput(() => blackjack.parseState({ ...state, player: ['K', 'A'] }), 'state.player');
    expectInvalidInput(() => blackjack.parseState({ ...state, dealer: ['K'] }), 'state.dealer');
    expectInvalidInput(() => blackjack.parseState('nope'), 'state');
  });
});
