export {
  activeEvents,
  activeMultiplierBps,
  applyMultiplier,
  BPS_ONE,
  combineMultipliers,
  MAX_COMBINED_MULTIPLIER_BPS,
  type MultiplierTarget,
} from './multipliers.js';
