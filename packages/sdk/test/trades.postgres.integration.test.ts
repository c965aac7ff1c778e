import { describe } from 'vitest';
import { describeTradesConformance } from './conformance/trades.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeTradesConformance(useStore('postgres')),
);
