// Every command file, by file name. The loader checks each default export at start; a test checks
// that every file in this folder is listed here. Order matters: a faucet named like a built-in
// command (say, "pay") cannot shadow it, because `faucet` comes last.
import balance from './balance.js';
import bank from './bank.js';
import blackjack from './blackjack.js';
import buy from './buy.js';
import coinflip from './coinflip.js';
import collect from './collect.js';
import dice from './dice.js';
import eco from './eco.js';
import fair from './fair.js';
import faucet from './faucet.js';
import gift from './gift.js';
import inventory from './inventory.js';
import leaderboard from './leaderboard.js';
import levels from './levels.js';
import lottery from './lottery.js';
import pay from './pay.js';
import profile from './profile.js';
import rank from './rank.js';
import rob from './rob.js';
import roulette from './roulette.js';
import sell from './sell.js';
import shop from './shop.js';
import slots from './slots.js';
import streak from './streak.js';
import trade from './trade.js';
import use from './use.js';

export const commandModules: Readonly<Record<string, unknown>> = {
  balance,
  bank,
  pay,
  shop,
  buy,
  inventory,
  use,
  gift,
  sell,
  trade,
  collect,
  rob,
  profile,
  coinflip,
  dice,
  slots,
  roulette,
  blackjack,
  streak,
  leaderboard,
  rank,
  levels,
  lottery,
  fair,
  eco,
  faucet,
};
