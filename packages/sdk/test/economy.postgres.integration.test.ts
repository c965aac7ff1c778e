import { describe } from 'vitest';
import { describeEconomyConformance } from './conformance/economy.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeEconomyConformance(useStore('postgres')),
);
