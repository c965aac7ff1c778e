import { describe } from 'vitest';
import { describeMovingConformance } from './conformance/moving.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeMovingConformance(useStore('postgres')),
);
