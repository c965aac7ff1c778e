export { dayEnd, dayNumber, dayStart } from '../local-days.js';
export { initialStreak, parseStreakState, type StreakState, streakStateSchema } from './state.js';
export {
  addFreezes,
  advanceStreak,
  type StreakAdvance,
  type StreakView,
  streakMultiplierBps,
  streakView,
} from './streak.js';
