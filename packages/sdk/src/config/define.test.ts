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

  describe('refuses what would reach a store as an error instead of a result', () => {
    it('a faucet reward that an event multiplier floors to zero', () => {
      const issues = issuesOf({
        faucets: { daily: { reward: { fixed: 5 } } },
        events: [
          {
            id: 'slow',
            name: 'Slow week',
            startsAt: '2026-01-01T00:00:00Z',
            endsAt: '2026-01-08T00:00:00Z',
            multiplierBps: 1_000,
            faucets: ['daily'],
          },
        ],
      });
      expect(issues.map((i) => i.path)).toEqual(['faucets.daily.reward']);
      expect(issues[0]!.message).toMatch(/pays nothing.*1000 bps/);
    });

    it('a ranged reward whose minimum the auto-balancer floors to zero (min multiplier 0 or too small)', () => {
      const autoBalance = (minMultiplierBps: number) => ({
        faucets: { work: { reward: { min: 3, max: 50 } } },
        policy: { autoBalance: { enabled: true, minMultiplierBps } },
      });
      expect(issuesOf(autoBalance(0)).map((i) => i.path)).toEqual(['faucets.work.reward']);
      expect(issuesOf(autoBalance(3_000)).map((i) => i.path)).toEqual(['faucets.work.reward']);
      expect(() => defineEconomy(autoBalance(3_334))).not.toThrow();
    });

    it('two small events that only floor to zero while both run', () => {
      const event = (id: string, startsAt: string, endsAt: string) => ({
        id,
        name: id,
        startsAt,
        endsAt,
        multiplierBps: 5_000,
        faucets: ['daily'],
      });
      const apart = {
        faucets: { daily: { reward: { fixed: 3 } } },
        events: [
          event('a', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'),
          event('b', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'),
        ],
      };
      expect(() => defineEconomy(apart)).not.toThrow();
      const overlapping = {
        ...apart,
        events: [apart.events[0]!, event('b', '2026-01-01T12:00:00Z', '2026-01-03T00:00:00Z')],
      };
      expect(issuesOf(overlapping).map((i) => i.path)).toEqual(['faucets.daily.reward']);
    });

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
