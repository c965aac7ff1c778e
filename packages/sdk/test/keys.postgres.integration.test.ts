import { describe } from 'vitest';
import { describeKeyConformance } from './conformance/keys.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeKeyConformance(useStore('postgres')),
);
