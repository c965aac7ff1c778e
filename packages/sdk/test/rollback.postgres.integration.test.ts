import { describe } from 'vitest';
import { describeRollbackConformance } from './conformance/rollback.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeRollbackConformance(useStore('postgres')),
);
