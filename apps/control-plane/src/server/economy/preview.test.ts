import { defineEconomy, presets } from '@guildmint/sdk';
import { describe, expect, it } from 'vitest';
import { previewConfig } from './preview';

describe('previewConfig: return to player', () => {
  it('shows each game’s RTP and, where maxPayout cuts wins, from which bet members get less', () => {
    const games = previewConfig(presets.classic).games;
    expect(games.map((g) => [g.game, (g.rtp * 100).toFixed(2)])).toEqual([
      ['coinflip', '98.00'],
      ['dice', '98.50'],
      ['slots', '94.50'],
      ['roulette', '97.30'],
      ['blackjack', '99.01'],
    ]);
    // The classic cap of 25,000: a dice target of 2 %, a slots jackpot and a roulette number reach it.
    expect(games.map((g) => [g.game, g.cappedFromBet, g.maxPayout])).toEqual([
      ['coinflip', null, 25_000],
      ['dice', 506, 25_000],
      ['slots', 251, 25_000],
      ['roulette', 695, 25_000],
      ['blackjack', null, 25_000],
    ]);
  });

  it('has no cap to explain when maxPayout is null or out of reach', () => {
    const config = defineEconomy({
      games: { coinflip: { maxBet: 1_000, maxPayout: 1_960 }, dice: {} },
    });
    expect(previewConfig(config).games).toEqual([
      { game: 'coinflip', enabled: true, rtp: 0.98, cappedFromBet: null, maxPayout: 1_960 },
      { game: 'dice', enabled: true, rtp: 0.99, cappedFromBet: null, maxPayout: null },
    ]);
  });
});
