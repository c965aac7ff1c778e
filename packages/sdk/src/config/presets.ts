import { defineEconomy } from './define.js';
import type { EconomyConfig } from './schema.js';

// Ten stops per reel (cherry 3, lemon 3, bell 2, star 1, seven 1): return to player 94.5 %.
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
 * streak, all five games at a modest edge, a 2 % transfer tax and a small shop.
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
  },
  games: {
    coinflip: { minBet: 10, maxBet: 5_000, houseEdgeBps: 200 },
    dice: { minBet: 10, maxBet: 5_000, houseEdgeBps: 150 },
    slots: { minBet: 10, maxBet: 2_000, ...classicSlots },
    roulette: { minBet: 10, maxBet: 5_000 },
    blackjack: { minBet: 10, maxBet: 5_000 },
  },
  policy: { dailyEmissionBudget: null, rateLimit: { perMemberPerMinute: 30 } },
});

/** `casino`: games first. Higher limits, thin faucets, gambling is where the action (and the sink) is. */
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
      'high-roller': { name: 'High roller badge', price: 100_000, perMemberLimit: 1, effects: [] },
    },
  },
  games: {
    coinflip: { minBet: 10, maxBet: 50_000, houseEdgeBps: 300 },
    dice: { minBet: 10, maxBet: 50_000, houseEdgeBps: 250 },
    slots: { minBet: 10, maxBet: 20_000, ...classicSlots },
    roulette: { minBet: 10, maxBet: 50_000 },
    blackjack: { minBet: 10, maxBet: 50_000 },
  },
  policy: { dailyEmissionBudget: null, rateLimit: { perMemberPerMinute: 60 } },
});

/** `cozy`: no gambling at all; generous faucets balanced by a shop people want to spend in. */
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
  },
  games: {},
  policy: { dailyEmissionBudget: null, rateLimit: { perMemberPerMinute: 30 } },
});

export const presets = Object.freeze({ classic, casino, cozy });
export type PresetName = keyof typeof presets;
