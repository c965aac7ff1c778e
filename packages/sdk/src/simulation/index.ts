export { type InflationBand, presetInflationBands } from '../config/presets.js';
export { type ChartOptions, renderChart } from './chart.js';
export { simulateEconomy } from './engine.js';
export { resultToJson } from './format.js';
export { MONTH_DAYS, monthlyInflation } from './measures.js';
export { trajectoryTables } from './table.js';
export type {
  SimulationDay,
  SimulationMonth,
  SimulationOptions,
  SimulationResult,
  SimulationSummary,
} from './types.js';
