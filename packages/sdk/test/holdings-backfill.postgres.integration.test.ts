import { describe } from 'vitest';
import { describeHoldingsBackfill } from './conformance/holdings-backfill.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () => {
  describeHoldingsBackfill(useStore('postgres'));
});
