import { describe, expect, it } from 'vitest';
import {
  blackjackSchema,
  coinflipSchema,
  diceSchema,
  type GameName,
  rouletteSchema,
  slotsSchema,
} from '../config/schema.js';
import { hashServerSeed } from './fairness.js';
import { continueRound, type RoundStep, startRound } from './round.js';
import { expectInvalidInput } from './test-support.js';
import type { GameSetup, RoundProof, VerifiableRound } from './types.js';
import { canonicalJson, checkRound, verifyRound } from './verify.js';

/** A round as `play` returns it, loosely typed: the tests tamper with it. */
type GameResult = VerifiableRound & { roundId: string; payout: bigint };

const SERVER_SEED = 'guildmint-test-server-seed';
const seeds = (nonce: number) => ({ serverSeed: SERVER_SEED, clientSeed: 'player-1', nonce });

const reel = ['7', 'bar', 'cherry', 'cherry'];
const setups: Array<[GameSetup, Record<string, unknown>]> = [
  [{ game: 'coinflip', config: coinflipSchema.parse({}) }, { side: 'heads' }],
  [
    { game: 'dice', config: diceSchema.parse({}) },
    { target: 49.5, direction: 'under' },
  ],
  [
    {
      game: 'slots',
      config: slotsSchema.parse({
        reels: [reel, reel, reel],
        paytable: [{ symbols: ['cherry', '*', '*'], multiplierBps: 20_000 }],
      }),
    },
    {},
  ],
  [
    { game: 'roulette', config: rouletteSchema.parse({}) },
    { on: 'black', bet: 100n },
  ],
  [{ game: 'blackjack', config: blackjackSchema.parse({}) }, {}],
];

function result(game: GameName, step: RoundStep): GameResult {
  return {
    roundId: 'round-1',
    game,
    outcome: step.outcome,
    payout: step.payout,
    finished: step.finished,
    proof: step.proof,
  };
}

/** A deep copy with one change, for tampering. */
function tampered(original: GameResult, change: (copy: GameResult) => void): GameResult {
  const copy = structuredClone(original);
  change(copy);
  return copy;
}

describe('verifyRound', () => {
  it('verifies genuine rounds of every game and records what it needs in the proof', () => {
    for (const [setup, input] of setups) {
      for (let nonce = 0; nonce < 20; nonce++) {
        const step = startRound(setup, input, 100n, seeds(nonce));
        expect(step.proof).toMatchObject({
          serverSeedHash: hashServerSeed(SERVER_SEED),
          clientSeed: 'player-1',
          nonce,
          params: { config: setup.config, bet: '100' },
        });
        expect(verifyRound(result(setup.game, step), SERVER_SEED)).toBe(true);
      }
    }
  });

  it('recomputes the rounding draw: a payout rounded the other way does not verify', () => {
    // Coinflip on 33: a win pays 64.68, rounded to 64 or 65 by the round's next draw.
    const [setup, input] = setups[0]!;
    let rounded = 0;
    for (let nonce = 0; nonce < 20; nonce++) {
      const genuine = result(setup.game, startRound(setup, input, 33n, seeds(nonce)));
      const outcome = genuine.outcome as { win: boolean; payout: string };
      if (!outcome.win) continue;
      rounded++;
      expect(['64', '65']).toContain(outcome.payout);
      expect(verifyRound(genuine, SERVER_SEED)).toBe(true);
      const other = outcome.payout === '64' ? '65' : '64';
      expect(verifyRound({ ...genuine, outcome: { ...outcome, payout: other } }, SERVER_SEED)).toBe(false);
    }
    expect(rounded).toBeGreaterThan(0);
  });

  it('rejects a wrong seed, nonce, client seed or outcome', () => {
    const [setup, input] = setups[1]!;
    const genuine = result(setup.game, startRound(setup, input, 100n, seeds(3)));
    expect(verifyRound(genuine, 'another-seed')).toBe(false);
    const withProof = (p: Partial<RoundProof>) => ({ ...genuine, proof: { ...genuine.proof, ...p } });
    expect(verifyRound(withProof({ nonce: 4 }), SERVER_SEED)).toBe(false);
    expect(verifyRound(withProof({ clientSeed: 'player-2' }), SERVER_SEED)).toBe(false);
    expect(verifyRound(withProof({ serverSeedHash: '00' }), SERVER_SEED)).toBe(false);
    const outcome = genuine.outcome as { roll: number; payout: string };
    expect(verifyRound({ ...genuine, outcome: { ...outcome, roll: outcome.roll + 0.01 } }, SERVER_SEED)).toBe(
      false,
    );
    expect(verifyRound({ ...genuine, outcome: { ...outcome, payout: '1000000' } }, SERVER_SEED)).toBe(false);
    expect(verifyRound({ ...genuine, finished: false }, SERVER_SEED)).toBe(false);
    expect(verifyRound({ ...genuine, game: 'coinflip' }, SERVER_SEED)).toBe(false);
  });

  it('checkRound says why a round does not verify', () => {
    const [setup, input] = setups[1]!;
    const genuine = result(setup.game, startRound(setup, input, 100n, seeds(3)));
    const outcome = genuine.outcome as { roll: number; payout: string };
    const reasonOf = (round: GameResult, seed = SERVER_SEED) => {
      const check = checkRound(round, seed);
      return check.verified ? 'verified' : check.reason;
    };
    expect(checkRound(genuine, SERVER_SEED)).toEqual({ verified: true });
    expect(reasonOf(genuine, 'another-seed')).toBe('seed');
    expect(reasonOf({ ...genuine, game: 'poker' })).toBe('proof');
    expect(reasonOf({ ...genuine, outcome: { ...outcome, roll: outcome.roll + 0.01 } })).toBe('outcome');
    expect(reasonOf({ ...genuine, finished: false })).toBe('finished');
    const extra = { ...genuine.proof.params, input: { target: 49.5, direction: 'under', extra: 1 } };
    expect(reasonOf({ ...genuine, proof: { ...genuine.proof, params: extra } })).toBe('input');
    const seedCheck = checkRound(genuine, 'another-seed');
    expect(seedCheck.verified === false && seedCheck.message).toMatch(/serverSeedHash/);
  });

  it('rejects tampered parameters', () => {
    const [setup, input] = setups[1]!;
    const genuine = result(setup.game, startRound(setup, input, 100n, seeds(3)));
    const params = genuine.proof.params;
    const withParams = (p: object) => ({
      ...genuine,
      proof: { ...genuine.proof, params: { ...params, ...p } },
    });
    expect(verifyRound(withParams({ input: { target: 60, direction: 'under' } }), SERVER_SEED)).toBe(false);
    expect(
      verifyRound(withParams({ input: { target: 49.5, direction: 'under', extra: 1 } }), SERVER_SEED),
    ).toBe(false);
    expect(verifyRound(withParams({ config: { ...setup.config, houseEdgeBps: 500 } }), SERVER_SEED)).toBe(
      false,
    );
    expect(verifyRound(withParams({ config: { ...setup.config, houseEdgeBps: -1 } }), SERVER_SEED)).toBe(
      false,
    );
    expect(verifyRound(withParams({ bet: '101' }), SERVER_SEED)).toBe(false);
    expect(verifyRound(withParams({ bet: 'lots' }), SERVER_SEED)).toBe(false);
    expect(verifyRound(withParams({ actions: ['stand'] }), SERVER_SEED)).toBe(false);
  });

  it('verifies every step of a blackjack round from its recorded actions', () => {
    const [setup, input] = setups[4]!;
    // nonce 7 deals the player 4 4, which takes three hits (9, A, 3) to 21 and stands by itself.
    let step = startRound(setup, input, 100n, seeds(7));
    expect(step.finished).toBe(false);
    const results = [result('blackjack', step)];
    while (!step.finished) {
      step = continueRound({
        game: 'blackjack',
        proof: step.proof,
        state: step.state,
        action: 'hit',
        serverSeed: SERVER_SEED,
      });
      results.push(result('blackjack', step));
    }
    expect(step.proof.params.actions).toEqual(['hit', 'hit', 'hit']);
    expect(step.outcome).toMatchObject({ player: { total: 21 }, result: 'win' });
    for (const r of results) expect(verifyRound(r, SERVER_SEED)).toBe(true);
    const last = results.at(-1)!;
    expect(
      verifyRound(
        tampered(last, (r) => r.proof.params.actions?.pop()),
        SERVER_SEED,
      ),
    ).toBe(false);
    expect(
      verifyRound(
        tampered(last, (r) => r.proof.params.actions?.splice(0, 1, 'stand')),
        SERVER_SEED,
      ),
    ).toBe(false);
    expect(
      verifyRound(
        tampered(last, (r) => r.proof.params.actions?.push('stand')),
        SERVER_SEED,
      ),
    ).toBe(false);
  });

  it('continueRound refuses other games and a seed the round was not committed to', () => {
    const [setup, input] = setups[4]!;
    const step = startRound(setup, input, 100n, seeds(7));
    expectInvalidInput(
      () =>
        continueRound({
          game: 'dice',
          proof: step.proof,
          state: step.state,
          action: 'hit',
          serverSeed: SERVER_SEED,
        }),
      'action',
    );
    expectInvalidInput(
      () =>
        continueRound({
          game: 'blackjack',
          proof: step.proof,
          state: step.state,
          action: 'hit',
          serverSeed: 'other',
        }),
      'serverSeed',
    );
    expectInvalidInput(
      () =>
        continueRound({
          game: 'blackjack',
          proof: step.proof,
          state: step.state,
          action: 'fold',
          serverSeed: SERVER_SEED,
        }),
      'action',
    );
  });

  it('never throws on malformed results', () => {
    const broken = {
      roundId: 'x',
      game: 'dice',
      outcome: {},
      payout: 0n,
      finished: true,
    } as unknown as GameResult;
    expect(verifyRound(broken, SERVER_SEED)).toBe(false);
    expect(verifyRound(null as unknown as GameResult, SERVER_SEED)).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and refuses what JSON cannot carry', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
  });
});
