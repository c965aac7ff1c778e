import { describe, expect, it } from 'vitest';
import { ErrorCode, ValidationError } from '../errors.js';
import { defineEconomy } from './define.js';
import { presets } from './presets.js';

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    defineEconomy(input as never);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCode.CONFIG_INVALID);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('defineEconomy', () => {
  it('fills in defaults and returns a frozen, JSON-serializable config', () => {
    const config = defineEconomy({ faucets: { daily: { reward: { fixed: 100n as never } } } });
    expect(config.faucets.daily).toMatchObject({ enabled: true, reward: { fixed: 100 }, cooldownSeconds: 0 });
    expect(config.currency).toEqual({ name: 'Coins', symbol: '🪙', decimals: 0 });
    expect(config.policy.rateLimit.perMemberPerMinute).toBe(30);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.faucets.daily?.reward)).toBe(true);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  it('reports every problem at once, each with its path', () => {
    const issues = issuesOf({
      timeZone: 'Mars/Olympus',
      faucets: { work: { reward: { fixed: -1 } }, bonus: { reward: { min: 9, max: 3 } } },
      sinks: { transferTaxBps: 20_000 },
      games: { dice: { minBet: 100, maxBet: 10 }, blackjack: { maxBet: 100, maxPayout: 150 } },
      unknownSection: true,
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'timeZone',
        'faucets.work.reward.fixed',
        'faucets.bonus.reward.min',
        'sinks.transferTaxBps',
        'games.dice.minBet',
        'games.blackjack.maxPayout',
      ]),
    );
    expect(issues.length).toBeGreaterThanOrEqual(7);
  });

  it('checks references between sections', () => {
    const paths = issuesOf({
      faucets: { daily: { reward: { fixed: 1 }, streak: 'nope' } },
      shop: { items: { f: { name: 'F', price: 1, effects: [{ type: 'streakFreeze', streak: 'gone' }] } } },
      events: [
        {
          id: 'e',
          name: 'E',
          startsAt: '2026-01-02T00:00:00Z',
          endsAt: '2026-01-03T00:00:00Z',
          multiplierBps: 2,
          faucets: ['x'],
        },
        {
          id: 'e',
          name: 'E2',
          startsAt: '2026-01-02T00:00:00Z',
          endsAt: '2026-01-03T00:00:00Z',
          multiplierBps: 2,
        },
      ],
      games: {
        slots: {
          reels: [
            ['a', 'b'],
            ['a', 'b'],
            ['a', 'b'],
          ],
          paytable: [{ symbols: ['a', 'a', 'z'], multiplierBps: 10 }],
        },
      },
    }).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'faucets.daily.streak',
        'shop.items.f.effects.0.streak',
        'events.0.faucets.0',
        'events.1.id',
        'games.slots.paytable.0.symbols.2',
      ]),
    );
  });

  it('rejects events that end before they start and amounts beyond 2^53-1', () => {
    const paths = issuesOf({
      faucets: { big: { reward: { fixed: 2 ** 60 } } },
      events: [
        {
          id: 'e',
          name: 'E',
          startsAt: '2026-01-03T00:00:00Z',
          endsAt: '2026-01-02T00:00:00Z',
          multiplierBps: 1,
        },
      ],
    }).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['faucets.big.reward.fixed']));
    expect(
      issuesOf({
        events: [
          {
            id: 'e',
            name: 'E',
            startsAt: '2026-01-03T00:00:00Z',
            endsAt: '2026-01-02T00:00:00Z',
            multiplierBps: 1,
          },
        ],
      }).map((i) => i.path),
    ).toEqual(['events.0.endsAt']);
  });

  it("refuses more enabled faucets than Discord's 100 slash commands per server leave room for", () => {
    // Each enabled faucet is a slash command of its own (/daily, /work, …) beside the bot's built-in ones.
    const faucets = (enabled: number, disabled = 0) =>
      Object.fromEntries(
        Array.from({ length: enabled + disabled }, (_, i) => [
          `f${i}`,
          { reward: { fixed: 1 }, enabled: i < enabled },
        ]),
      );
    expect(Object.keys(defineEconomy({ faucets: faucets(70, 40) }).faucets)).toHaveLength(110);
    const issues = issuesOf({ faucets: faucets(71) });
    expect(issues).toEqual([
      {
        path: 'faucets',
        message: expect.stringMatching(
          /at most 70 enabled faucets.*Discord allows 100 slash commands per server/,
        ),
      },
    ]);
  });

  it('ships valid presets: classic with what the contract promises, cozy without games', () => {
    for (const preset of Object.values(presets)) expect(defineEconomy(preset)).toEqual(preset);
    const { classic, cozy } = presets;
    expect(Object.keys(classic.faucets)).toEqual(expect.arrayContaining(['daily', 'work']));
    expect(classic.faucets.daily?.streak).toBe('daily');
    expect(Object.keys(classic.games).sort()).toEqual(['blackjack', 'coinflip', 'dice', 'roulette', 'slots']);
    expect(classic.sinks.transferTaxBps).toBeGreaterThan(0);
    expect(Object.keys(classic.shop.items).length).toBeGreaterThan(0);
    expect(cozy.games).toEqual({});
  });

  it('a profile section: on, every part shown, three highlights by default; bad values say why', () => {
    expect(defineEconomy({}).profile).toEqual({
      enabled: true,
      show: { bank: true, rank: true, level: true, streak: true, inventory: true },
      highlights: 3,
      viewOthers: true,
    });
    expect(defineEconomy({ profile: { show: { bank: false }, highlights: 0 } }).profile).toMatchObject({
      show: { bank: false, rank: true },
      highlights: 0,
    });
    const issues = issuesOf({
      profile: { highlights: 11, viewOthers: 'yes', show: { wallet: false, level: 1 } },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'profile.highlights', message: expect.stringMatching(/at most 10/) },
        { path: 'profile.viewOthers', message: expect.stringMatching(/true or false/) },
        { path: 'profile.show.level', message: expect.stringMatching(/true \(shown\) or false \(hidden\)/) },
        { path: 'profile.show', message: expect.stringMatching(/wallet/) },
      ]),
    );
    expect(issuesOf({ profile: { highlights: 2.5 } })).toEqual([
      { path: 'profile.highlights', message: expect.stringMatching(/whole number/) },
    ]);
    expect(presets.cozy.profile.highlights).toBe(5);
    expect(presets.casino.profile.show.level).toBe(false);
  });

  describe('refuses text a store cannot hold', () => {
    it('a NUL or a lone surrogate in any text of the config', () => {
      const issues = issuesOf({
        name: 'Guild\u0000Bank',
        currency: { symbol: '\ud83d' },
        shop: { items: { hat: { name: 'Hat', description: 'warm\u0000', price: 5 } } },
      });
      expect(issues.map((i) => i.path).sort()).toEqual([
        'currency.symbol',
        'name',
        'shop.items.hat.description',
      ]);
    });

    it('the presets pass these checks', () => {
      for (const preset of Object.values(presets)) expect(() => defineEconomy(preset)).not.toThrow();
    });
  });
});
