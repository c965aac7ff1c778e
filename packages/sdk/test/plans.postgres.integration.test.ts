import { describe } from 'vitest';
import { describePlansConformance } from './conformance/plans.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describePlansConformance(useStore('postgres')),
);
