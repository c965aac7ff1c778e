import { z } from 'zod';
import { logChannelSchema } from '../log-channel/config.js';
import { isStorableText } from '../text.js';
import { textsSchema } from '../texts/templates.js';
import { tradesSchema } from '../trades/config.js';
import { brandingSchema } from './branding.js';
import { levelsSchema } from './levels.js';
import { lotterySchema } from './lottery.js';
import { profileSchema } from './profile.js';

// The one source of truth for what an economy config may say. Types are inferred from it.
// Amounts in config are JSON integers of minor units (≤ 2^53-1, so a config survives JSON);
// they become bigint at the moment money moves. Rates are basis points (1 bps = 0.01 %).

const MAX_CONFIG_AMOUNT = Number.MAX_SAFE_INTEGER;

/** Accepts 100, 100n or "100"; yields a JSON-safe integer ≥ `min`. */
const amountFrom = (min: number) =>
  z.preprocess(
    (value) =>
      typeof value === 'bigint' && value <= BigInt(MAX_CONFIG_AMOUNT) && value >= 0n
        ? Number(value)
        : typeof value === 'string' && /^\d{1,16}$/.test(value)
          ? Number(value)
          : value,
    z
      .number({ error: 'must be a whole number of minor units' })
      .int('must be a whole number of minor units')
      .min(min, min === 0 ? 'must not be negative' : 'must be greater than zero')
      .max(MAX_CONFIG_AMOUNT, 'must be at most 2^53-1'),
  );
const amount = amountFrom(0);
const positiveAmount = amountFrom(1);
const bps = z.number().int('must be whole basis points').min(0).max(10_000, 'must be at most 10000 (100 %)');
/** A multiplier in basis points: 10000 = ×1, 15000 = ×1.5. */
const multiplierBps = z.number().int().min(0).max(1_000_000, 'must be at most 1000000 (×100)');
const key = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be 1-32 characters: a-z first, then a-z 0-9 _ -');
const snowflake = z.string().regex(/^\d{1,20}$/, 'must be a Discord id (digits)');
const label = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** Zones already found valid: building an Intl.DateTimeFormat per config parse is costly. */
const knownTimeZones = new Set<string>();

export const timeZone = z.string().refine((tz) => {
  if (knownTimeZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    knownTimeZones.add(tz);
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

export const currencySchema = z.object({
  name: label(32).default('Coins'),
  symbol: label(16).default('🪙'),
  /** Minor units per major unit = 10^decimals (0 for whole coins). */
  decimals: z.number().int().min(0).max(4).default(0),
});

export const rewardSchema = z.union([
  z.strictObject({ fixed: positiveAmount }),
  z.strictObject({ min: positiveAmount, max: positiveAmount }).refine((r) => r.min <= r.max, {
    message: 'min must not exceed max',
    path: ['min'],
  }),
]);

export const faucetSchema = z.strictObject({
  enabled: z.boolean().default(true),
  description: label(200).optional(),
  reward: rewardSchema,
  /** Seconds between two claims by one member. */
  cooldownSeconds: z
    .number()
    .int()
    .min(0)
    .max(31 * 86_400)
    .default(0),
  /** Most claims per member per day (tenant time zone); absent = only the cooldown limits. */
  dailyCap: z.number().int().min(1).max(10_000).optional(),
  eligibility: z
    .strictObject({
      /** The member needs at least one of these roles (empty: everyone). */
      roles: z.array(snowflake).max(50).default([]),
      minMemberAgeDays: z.number().int().min(0).max(3650).default(0),
    })
    .prefault({}),
  /** Claiming counts toward this streak, and its multiplier applies to the reward. */
  streak: key.optional(),
});

export const effectSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('role'), roleId: snowflake }),
  z.strictObject({
    type: z.literal('streakFreeze'),
    streak: key,
    count: z.number().int().min(1).max(30).default(1),
  }),
]);

export const shopItemSchema = z.strictObject({
  enabled: z.boolean().default(true),
  name: label(64),
  description: label(200).optional(),
  price: positiveAmount,
  /** Units left to sell; null = unlimited. */
  stock: z.number().int().min(0).nullable().default(null),
  /** Most units one member may buy, ever; null = no limit. */
  perMemberLimit: z.number().int().min(1).nullable().default(null),
  /** A consumable item is used up by `use`; others stay in the inventory. */
  consumable: z.boolean().default(false),
  effects: z.array(effectSchema).max(10).default([]),
});

/** `/deposit` and `/withdraw`: a bank balance beside the wallet (see docs/bank: a second member account). */
export const bankSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Smallest deposit or withdrawal. */
    minAmount: positiveAmount.default(1),
    /** Most a member may keep in the bank; null = no limit. */
    maxBalance: positiveAmount.nullable().default(null),
    interest: z
      .strictObject({
        /** Interest per full day on the bank balance, in bps, floored; 0 = none. Paid from `faucet:bank-interest`. */
        dailyRateBps: bps.default(0),
        /** Most interest one member earns per day (also counts toward the daily emission budget). */
        maxPerDay: positiveAmount.default(100),
        /** Days of interest paid at most when a member comes back after a while. */
        maxDaysAccrued: z.number().int().min(1).max(365).default(7),
      })
      .prefault({}),
  })
  .prefault({});

/** `/rob`: off by default (it can sour a community); see docs/robbery for the formulas. */
export const robberySchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** The chance of success moves from min to max as the target's share of both wallets grows. */
    minChanceBps: bps.default(1_000),
    maxChanceBps: bps.default(6_000),
    /** Share of the target's wallet taken on success, drawn uniformly from [min, max] bps. */
    minStealBps: bps.refine((n) => n > 0, 'must be greater than zero').default(1_000),
    maxStealBps: bps.refine((n) => n > 0, 'must be greater than zero').default(3_000),
    /** Most one robbery may take; null = no cap beyond the share. */
    maxSteal: positiveAmount.nullable().default(null),
    /** A failed robber pays this share of their own wallet to `sink:robbery` (at least `minFine`, at most the wallet). */
    fineBps: bps.default(2_000),
    minFine: amount.default(50),
    /** A robber needs at least this much in the wallet (something to lose). */
    minWallet: positiveAmount.default(100),
    /** Seconds between two attempts by one robber, and how long a robbed member is safe afterwards. */
    cooldownSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(3_600),
    protectionAfterRobbedSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(3_600),
    /** Members who joined less than this many days ago cannot be robbed (nor rob). */
    newMemberDays: z.number().int().min(0).max(365).default(7),
    /** Members whose wallet has not moved for this many days cannot be robbed; 0 = no such protection. */
    inactiveDays: z.number().int().min(0).max(365).default(14),
    /** Holders of these roles opt out: they can neither rob nor be robbed. */
    optOutRoles: z.array(snowflake).max(50).default([]),
  })
  .refine((r) => r.minChanceBps <= r.maxChanceBps, {
    message: 'minChanceBps must not exceed maxChanceBps',
    path: ['minChanceBps'],
  })
  .refine((r) => r.minStealBps <= r.maxStealBps, {
    message: 'minStealBps must not exceed maxStealBps',
    path: ['minStealBps'],
  })
  .prefault({});

export const roleIncomeSchema = z.strictObject({
  roleId: snowflake,
  amount: positiveAmount,
  period: z.enum(['day', 'week']).default('day'),
});

/** `/collect`: roles that pay a fixed amount per day or week (tenant time zone; weeks start on Monday). */
export const roleIncomesSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    roles: z.array(roleIncomeSchema).max(50).default([]),
  })
  .refine((r) => new Set(r.roles.map((role) => role.roleId)).size === r.roles.length, {
    message: 'each role may pay only one income',
    path: ['roles'],
  })
  .prefault({});

export const sinksSchema = z.strictObject({
  /** Tax on member-to-member payments, paid by the sender on top of the amount, to `sink:tax`. */
  transferTaxBps: bps.default(0),
  /** Flat fee per payment, to `sink:fees`. */
  transferFee: amount.default(0),
  minTransfer: positiveAmount.default(1),
});

const gameBase = {
  enabled: z.boolean().default(true),
  minBet: positiveAmount.default(10),
  maxBet: positiveAmount.default(10_000),
  /** Cap on what one round may pay out (bankroll policy); null = no cap beyond maxBet × odds. */
  maxPayout: positiveAmount.nullable().default(null),
};
const checkBets = (g: { minBet: number; maxBet: number }) => g.minBet <= g.maxBet;
const betMessage = { message: 'minBet must not exceed maxBet', path: ['minBet'] };
/** A cap below the largest stake would let a winning round pay less than it took. */
const payoutCovers =
  (stakes: number) =>
  (g: { maxBet: number; maxPayout: number | null }): boolean =>
    g.maxPayout === null || g.maxPayout >= g.maxBet * stakes;
const payoutMessage = (stakes: number) => ({
  message:
    stakes === 1
      ? 'maxPayout must be at least maxBet'
      : `maxPayout must be at least ${stakes} × maxBet (doubling)`,
  path: ['maxPayout'],
});

export const coinflipSchema = z
  .strictObject({ ...gameBase, houseEdgeBps: bps.default(200) })
  .refine(checkBets, betMessage);
export const diceSchema = z
  .strictObject({
    ...gameBase,
    houseEdgeBps: bps.default(100),
    /** Allowed targets (win chance in %), inclusive. */
    minTarget: z.number().min(1).max(98).default(2),
    maxTarget: z.number().min(2).max(99).default(98),
  })
  .refine(checkBets, betMessage)
  .refine(payoutCovers(1), payoutMessage(1))
  .refine((d) => d.minTarget <= d.maxTarget, {
    message: 'minTarget must not exceed maxTarget',
    path: ['minTarget'],
  });
export const slotsSchema = z
  .strictObject({
    ...gameBase,
    /** Three reel strips; each spin stops every reel on a uniformly random position. */
    reels: z.array(z.array(z.string().min(1).max(16)).min(2).max(64)).length(3),
    /** Pays `multiplierBps` × bet / 10000 when the three stops match `symbols` ('*' matches any). First match wins. */
    paytable: z
      .array(z.strictObject({ symbols: z.array(z.string().min(1).max(16)).length(3), multiplierBps }))
      .min(1)
      .max(64),
  })
  .refine(checkBets, betMessage)
  .refine(payoutCovers(1), payoutMessage(1));
export const rouletteSchema = z
  .strictObject({ ...gameBase })
  .refine(checkBets, betMessage)
  .refine(payoutCovers(1), payoutMessage(1));
export const blackjackSchema = z
  .strictObject({
    ...gameBase,
    /** A natural pays this multiple of the bet in bps on top of the stake (15000 = 3:2). */
    blackjackPayoutBps: multiplierBps.default(15_000),
    dealerHitsSoft17: z.boolean().default(false),
    /** An unfinished round stands by itself after this long. */
    timeoutSeconds: z.number().int().min(10).max(3600).default(120),
  })
  .refine(checkBets, betMessage)
  .refine(payoutCovers(2), payoutMessage(2));

export const gamesSchema = z.strictObject({
  coinflip: coinflipSchema.optional(),
  dice: diceSchema.optional(),
  slots: slotsSchema.optional(),
  roulette: rouletteSchema.optional(),
  blackjack: blackjackSchema.optional(),
});

export const streakSchema = z.strictObject({
  /** Hours after the end of a day during which yesterday's claim still counts. */
  graceHours: z.number().int().min(0).max(48).default(0),
  /** Extra reward per streak day in bps, capped at `maxBonusBps`. */
  bonusPerDayBps: bps.default(0),
  maxBonusBps: z.number().int().min(0).max(100_000).default(0),
  /** One-time bonuses paid on reaching a streak length. */
  milestones: z
    .array(z.strictObject({ day: z.number().int().min(2).max(3650), bonus: positiveAmount }))
    .max(50)
    .default([]),
  /** Most freezes a member may hold; a freeze covers one missed day automatically. */
  maxFreezes: z.number().int().min(0).max(30).default(3),
});

export const eventSchema = z
  .strictObject({
    id: key,
    name: label(64),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    multiplierBps: multiplierBps.refine((n) => n > 0, 'must be greater than zero'),
    /** Faucets whose rewards the multiplier applies to (empty: none). */
    faucets: z.array(key).default([]),
    /** Games whose winnings the multiplier applies to (empty: none). */
    games: z.array(z.enum(['coinflip', 'dice', 'slots', 'roulette', 'blackjack'])).default([]),
  })
  .refine((e) => Date.parse(e.startsAt) < Date.parse(e.endsAt), {
    message: 'must end after it starts',
    path: ['endsAt'],
  });

export const policySchema = z.strictObject({
  /** Most new currency all faucets together may mint per day (tenant time zone); null = no budget. */
  dailyEmissionBudget: positiveAmount.nullable().default(null),
  rateLimit: z
    .strictObject({
      /** Money-moving commands per member per minute. */
      perMemberPerMinute: z.number().int().min(1).max(600).default(30),
    })
    .prefault({}),
  autoBalance: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Target band for net daily emission as bps of the money supply. */
      targetMinBps: z.number().int().min(-10_000).max(10_000).default(0),
      targetMaxBps: z.number().int().min(-10_000).max(10_000).default(100),
      /** How far one adjustment moves the faucet multiplier. */
      stepBps: z.number().int().min(1).max(5_000).default(500),
      minMultiplierBps: z.number().int().min(0).max(100_000).default(2_500),
      maxMultiplierBps: z.number().int().min(0).max(100_000).default(20_000),
    })
    .refine((a) => a.targetMinBps <= a.targetMaxBps, {
      message: 'targetMinBps must not exceed targetMaxBps',
      path: ['targetMinBps'],
    })
    .prefault({}),
  anomaly: z
    .strictObject({
      /** Flag a member whose hourly volume is this many MADs above the median. */
      velocityMadThreshold: z.number().min(1).max(100).default(8),
      /** Window in which A→B→A counts as circular. */
      circularWindowMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .default(60),
      /** Flag an account fed by this many accounts younger than a day. */
      newAccountFeeders: z.number().int().min(2).max(1000).default(5),
    })
    .prefault({}),
});

/**
 * Every enabled faucet is a slash command of its own in the bot (/daily, /work, …). Discord allows 100 chat
 * commands per server and refuses a larger set whole; the bot's built-in commands (/balance, /pay, the
 * games, bank, robbery, …) need the other 30. The bot runtime checks this budget against its own command files.
 */
export const MAX_ENABLED_FAUCETS = 70;

export const economyConfigSchema = z
  .strictObject({
    name: label(64).optional(),
    currency: currencySchema.prefault({}),
    /** Days, streaks and daily caps follow this IANA time zone. */
    timeZone: timeZone.default('UTC'),
    /** A public web page (no login) ranks the richest members by name: off until the owner turns it on. */
    publicLeaderboard: z.boolean().default(false),
    faucets: z.record(key, faucetSchema).default({}),
    sinks: sinksSchema.prefault({}),
    shop: z
      .strictObject({
        items: z.record(key, shopItemSchema).default({}),
        /** `/gift`: members may give items to each other (items that granted a role excepted). */
        gifts: z.boolean().default(false),
        /** `/sell`: the shop buys items back at this share of their price (floored); 0 = no buyback. */
        sellBackBps: bps.default(0),
      })
      .prefault({}),
    bank: bankSchema,
    robbery: robberySchema,
    roleIncome: roleIncomesSchema,
    trades: tradesSchema,
    logChannel: logChannelSchema,
    texts: textsSchema,
    levels: levelsSchema,
    lottery: lotterySchema,
    profile: profileSchema,
    branding: brandingSchema,
    games: gamesSchema.default({}),
    streaks: z.record(key, streakSchema).default({}),
    events: z.array(eventSchema).max(100).default([]),
    policy: policySchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    for (const issue of unstorableStrings(config, [])) ctx.addIssue({ code: 'custom', ...issue });
    const streaks = new Set(Object.keys(config.streaks));
    for (const [name, faucet] of Object.entries(config.faucets)) {
      if (faucet.streak && !streaks.has(faucet.streak)) {
        ctx.addIssue({
          code: 'custom',
          path: ['faucets', name, 'streak'],
          message: `no streak named "${faucet.streak}"`,
        });
      }
    }
    for (const [name, item] of Object.entries(config.shop.items)) {
      item.effects.forEach((effect, i) => {
        if (effect.type === 'streakFreeze' && !streaks.has(effect.streak)) {
          ctx.addIssue({
            code: 'custom',
            path: ['shop', 'items', name, 'effects', i, 'streak'],
            message: `no streak named "${effect.streak}"`,
          });
        }
      });
    }
    config.events.forEach((event, i) => {
      event.faucets.forEach((faucet, j) => {
        if (!(faucet in config.faucets)) {
          ctx.addIssue({
            code: 'custom',
            path: ['events', i, 'faucets', j],
            message: `no faucet named "${faucet}"`,
          });
        }
      });
    });
    const ids = new Set<string>();
    config.events.forEach((event, i) => {
      if (ids.has(event.id))
        ctx.addIssue({ code: 'custom', path: ['events', i, 'id'], message: `repeats id "${event.id}"` });
      ids.add(event.id);
    });
    const slots = config.games.slots;
    if (slots) {
      const symbols = new Set(slots.reels.flat());
      slots.paytable.forEach((line, i) => {
        line.symbols.forEach((symbol, j) => {
          if (symbol !== '*' && !symbols.has(symbol)) {
            ctx.addIssue({
              code: 'custom',
              path: ['games', 'slots', 'paytable', i, 'symbols', j],
              message: `symbol "${symbol}" is on no reel`,
            });
          }
        });
      });
    }
    const enabledFaucets = Object.values(config.faucets).filter((faucet) => faucet.enabled).length;
    if (enabledFaucets > MAX_ENABLED_FAUCETS) {
      ctx.addIssue({
        code: 'custom',
        path: ['faucets'],
        message: `at most ${MAX_ENABLED_FAUCETS} enabled faucets (${enabledFaucets} here): each is a slash command, Discord allows 100 slash commands per server, and the bot's own commands need the rest`,
      });
    }
  });

/**
 * Every string (and object key) a store could not hold: the config is stored as JSON text and its names
 * become state keys and transfer codes. Checked here so a bad config fails at `defineEconomy`.
 */
function unstorableStrings(
  value: unknown,
  path: PropertyKey[],
): Array<{ path: PropertyKey[]; message: string }> {
  const message = 'must not contain NUL characters or broken (lone surrogate) characters';
  if (typeof value === 'string') return isStorableText(value) ? [] : [{ path, message }];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(isStorableText(key) ? [] : [{ path: [...path, key], message: `the name ${message}` }]),
    ...unstorableStrings(item, [...path, key]),
  ]);
}

export type EconomyConfigInput = z.input<typeof economyConfigSchema>;
export type EconomyConfig = z.output<typeof economyConfigSchema>;
export type FaucetConfig = z.output<typeof faucetSchema>;
export type ShopItemConfig = z.output<typeof shopItemSchema>;
export type StreakConfig = z.output<typeof streakSchema>;
export type EventConfig = z.output<typeof eventSchema>;
export type GamesConfig = z.output<typeof gamesSchema>;
export type GameName = keyof GamesConfig;
export type CoinflipConfig = z.output<typeof coinflipSchema>;
export type DiceConfig = z.output<typeof diceSchema>;
export type SlotsConfig = z.output<typeof slotsSchema>;
export type RouletteConfig = z.output<typeof rouletteSchema>;
export type BlackjackConfig = z.output<typeof blackjackSchema>;
export type PolicyConfig = z.output<typeof policySchema>;
export type BankConfig = z.output<typeof bankSchema>;
export type RobberyConfig = z.output<typeof robberySchema>;
export type RoleIncomeConfig = z.output<typeof roleIncomesSchema>;
export type { LevelsConfig } from './levels.js';
export type { LotteryConfig } from './lottery.js';
