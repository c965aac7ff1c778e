import { defineEconomy } from './define.js';
import type { EconomyConfig } from './schema.js';

// Every preset comes with a monthly inflation band (`presetInflationBands` below): what its design
// intends for the money supply of a new guild in its second and third months. `pnpm simulate` and the
// simulation test (src/simulation) hold each preset to its band with a seeded population of members.
// Month 1 has no inflation (the supply starts at 0), and a young economy grows fastest early on, while
// members fill their pockets; the band covers months 2 and 3, not a mature economy's steady state.

// Ten stops per reel (cherry 3, lemon 3, bell 2, star 1, seven 1): return to player 94.5 % (less at bets
// so large that the preset's maxPayout caps the jackpot).
const classicSlots = {
  reels: [
    ['cherry', 'cherry', 'cherry', 'lemon', 'lemon', 'lemon', 'bell', 'bell', 'star', 'seven'],
    ['cherry', 'cherry', 'cherry', 'lemon', 'lemon', 'lemon', 'bell', 'bell', 'star', 'seven'],
    ['cherry', 'cherry', 'cherry', 'lemon', 'lemon', 'lemon', 'bell', 'bell', 'star', 'seven'],
  ],
  paytable: [
    { symbols: ['seven', 'seven', 'seven'], multiplierBps: 1_000_000 },
    { symbols: ['star', 'star', 'star'], multiplierBps: 500_000 },
    { symbols: ['bell', 'bell', 'bell'], multiplierBps: 150_000 },
    { symbols: ['lemon', 'lemon', 'lemon'], multiplierBps: 100_000 },
    { symbols: ['cherry', 'cherry', 'cherry'], multiplierBps: 80_000 },
    { symbols: ['cherry', 'cherry', '*'], multiplierBps: 30_000 },
  ],
};

/**
 * `classic`: the balanced default every new guild starts on. Daily and work faucets with a daily
 * streak, all five games at a modest edge, a 2 % transfer tax and a small shop (gifts, a 50 % buyback);
 * a bank without interest. Robbery and role income stay off.
 *
 * Inflation band: +5 % … +50 % a month (moderate: a growing economy that neither runs away nor stalls).
 * No round pays more than 25,000 (125 dailies): without that cap one jackpot (100 × a 2,000 bet) or a
 * straight-up roulette win (36 × 5,000) could double a small guild's money supply overnight, which the
 * simulation showed as a +58 % month followed by a shrinking one.
 */
export const classic: EconomyConfig = defineEconomy({
  name: 'Classic',
  currency: { name: 'Coins', symbol: '🪙', decimals: 0 },
  faucets: {
    daily: {
      description: 'Your daily allowance',
      reward: { fixed: 200 },
      cooldownSeconds: 20 * 3600,
      streak: 'daily',
    },
    work: { description: 'Put in a shift', reward: { min: 40, max: 90 }, cooldownSeconds: 3600, dailyCap: 8 },
  },
  streaks: {
    daily: {
      graceHours: 6,
      bonusPerDayBps: 500,
      maxBonusBps: 5_000,
      milestones: [
        { day: 7, bonus: 500 },
        { day: 30, bonus: 3_000 },
      ],
      maxFreezes: 3,
    },
  },
  sinks: { transferTaxBps: 200, transferFee: 0, minTransfer: 1 },
  shop: {
    items: {
      'streak-freeze': {
        name: 'Streak freeze',
        description: 'Covers one missed day of your daily streak',
        price: 600,
        perMemberLimit: null,
        effects: [{ type: 'streakFreeze', streak: 'daily', count: 1 }],
      },
      trophy: {
        name: 'Golden trophy',
        description: 'Bragging rights',
        price: 25_000,
        stock: 10,
        perMemberLimit: 1,
      },
      snack: { name: 'Snack', description: 'Tasty, and gone when used', price: 50, consumable: true },
    },
    gifts: true,
    sellBackBps: 5_000,
  },
  // A bank without interest: it only keeps coins apart (from robbery, where an owner turns it on).
  bank: { enabled: true, minAmount: 1, maxBalance: null, interest: { dailyRateBps: 0 } },
  games: {
    coinflip: { minBet: 10, maxBet: 5_000, maxPayout: 25_000, houseEdgeBps: 200 },
    dice: { minBet: 10, maxBet: 5_000, maxPayout: 25_000, houseEdgeBps: 150 },
    slots: { minBet: 10, maxBet: 2_000, maxPayout: 25_000, ...classicSlots },
    roulette: { minBet: 10, maxBet: 5_000, maxPayout: 25_000 },
    blackjack: { minBet: 10, maxBet: 5_000, maxPayout: 25_000 },
  },
  // Every part shown, three highlights, and members may look at each other (the defaults, spelled out).
  profile: { enabled: true, highlights: 3, viewOthers: true },
  policy: { dailyEmissionBudget: null, rateLimit: { perMemberPerMinute: 30 } },
});

/**
 * `casino`: games first. Higher limits, thin faucets, gambling is where the action (and the sink) is;
 * a bar for those who only come to watch. Robbery is on (the one preset with it); the bank keeps coins safe.
 *
 * Inflation band: -10 % … +60 % a month (it swings with the tables: the house's take pulls the supply
 * down, a lucky night pushes it up; over a month it may shrink). Without the bar (a consumable) its
 * non-gamblers had nothing to spend on and the supply grew by about 90 % in month 2 and 45 % in month 3.
 * No round pays more than 250,000 (500 dailies), so one jackpot cannot multiply the supply.
 */
export const casino: EconomyConfig = defineEconomy({
  name: 'Casino',
  currency: { name: 'Chips', symbol: '🎰', decimals: 0 },
  faucets: {
    daily: {
      description: 'Free chips, once a day',
      reward: { fixed: 500 },
      cooldownSeconds: 20 * 3600,
      streak: 'daily',
    },
  },
  streaks: {
    daily: { graceHours: 4, bonusPerDayBps: 250, maxBonusBps: 2_500, milestones: [], maxFreezes: 1 },
  },
  sinks: { transferTaxBps: 500, transferFee: 5, minTransfer: 10 },
  shop: {
    items: {
      cocktail: { name: 'Cocktail', description: 'On the house? Not quite', price: 120, consumable: true },
      'vip-pass': { name: 'VIP lounge pass', price: 12_000, perMemberLimit: 1 },
      'high-roller': { name: 'High roller badge', price: 100_000, perMemberLimit: 1, effects: [] },
    },
    gifts: true,
    sellBackBps: 2_500,
  },
  bank: { enabled: true, minAmount: 10, maxBalance: null, interest: { dailyRateBps: 0 } },
  // A casino floor is rough by design: robbery is on, the bank is the safe place.
  robbery: { enabled: true, minWallet: 500, minFine: 100, newMemberDays: 7, inactiveDays: 14 },
  games: {
    coinflip: { minBet: 10, maxBet: 50_000, maxPayout: 250_000, houseEdgeBps: 300 },
    dice: { minBet: 10, maxBet: 50_000, maxPayout: 250_000, houseEdgeBps: 250 },
    slots: { minBet: 10, maxBet: 20_000, maxPayout: 250_000, ...classicSlots },
    roulette: { minBet: 10, maxBet: 50_000, maxPayout: 250_000 },
    blackjack: { minBet: 10, maxBet: 50_000, maxPayout: 250_000 },
  },
  // Badges are what a profile shows off here (a cocktail is gone once drunk); no levels to show.
  profile: { highlights: 2, show: { level: false } },
  policy: { dailyEmissionBudget: null, rateLimit: { perMemberPerMinute: 60 } },
});

/**
 * `cozy`: no gambling at all; generous faucets balanced by a shop people want to spend in, and a bank
 * whose small interest (capped per member per day) rewards saving.
 *
 * Inflation band: +5 % … +50 % a month (bounded by the shop alone: with no house to win coins back,
 * the shop's pull is the only brake, so the supply must keep growing, but not run away).
 */
export const cozy: EconomyConfig = defineEconomy({
  name: 'Cozy',
  currency: { name: 'Petals', symbol: '🌸', decimals: 0 },
  faucets: {
    daily: {
      description: 'A daily bouquet',
      reward: { fixed: 150 },
      cooldownSeconds: 20 * 3600,
      streak: 'daily',
    },
    chat: {
      description: 'Thanks for being around',
      reward: { min: 10, max: 25 },
      cooldownSeconds: 900,
      dailyCap: 12,
    },
  },
  streaks: {
    daily: {
      graceHours: 12,
      bonusPerDayBps: 300,
      maxBonusBps: 3_000,
      milestones: [{ day: 14, bonus: 400 }],
      maxFreezes: 5,
    },
  },
  sinks: { transferTaxBps: 0, transferFee: 0, minTransfer: 1 },
  shop: {
    items: {
      tea: { name: 'Cup of tea', price: 40, consumable: true },
      'streak-freeze': {
        name: 'Streak freeze',
        price: 300,
        effects: [{ type: 'streakFreeze', streak: 'daily', count: 1 }],
      },
      'garden-plot': { name: 'Garden plot', price: 5_000, perMemberLimit: 3 },
    },
    gifts: true,
    sellBackBps: 5_000,
  },
  // Savings grow a little: 0.1 % a day, at most 20 petals a day per member (under 1 % of the emission).
  bank: { enabled: true, minAmount: 1, maxBalance: 100_000, interest: { dailyRateBps: 10, maxPerDay: 20 } },
  // Being around is what this preset rewards: levels on, with few petals per message and a low daily cap.
  levels: { enabled: true, message: { coins: { min: 1, max: 3 } }, dailyCoinCap: 60 },
  // A garden is a collection: five highlights, and the level earned by being around next to it.
  profile: { highlights: 5 },
  games: {},
  policy: { dailyEmissionBudget: null, rateLimit: { perMemberPerMinute: 30 } },
});

export const presets = Object.freeze({ classic, casino, cozy });
export type PresetName = keyof typeof presets;

/**
 * The monthly inflation a preset intends: growth of the money supply over a 30-day month ÷ the supply at
 * its start, in bps (as `@guildmint/sdk/simulation` measures it), for months 2 and 3 of a new guild.
 */
export interface InflationBand {
  minBps: number;
  maxBps: number;
}

/**
 * Measured with the simulation's reference population over 90 days: 400 members with seeds 1-3, and
 * the test's 120 members with its seed, five runs each for the presets with games (while game seeds
 * came from node:crypto in simulations too, so their rounds differed from run to run). Every run landed at +19 % … +46 % in month 2 and +10 % … +25 % in month 3 (a young
 * economy grows fastest while members fill their pockets); the bands leave room around that, casino's
 * most, as its tables swing the most. Under this population the presets differ less in their inflation
 * than in where the coins go (casino's house, classic's shop and tax, cozy's shop alone).
 */
export const presetInflationBands: Readonly<Record<PresetName, InflationBand>> = Object.freeze({
  classic: Object.freeze({ minBps: 500, maxBps: 5_000 }),
  casino: Object.freeze({ minBps: -1_000, maxBps: 6_000 }),
  cozy: Object.freeze({ minBps: 500, maxBps: 5_000 }),
});
