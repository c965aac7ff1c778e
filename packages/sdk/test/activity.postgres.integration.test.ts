import { describe } from 'vitest';
import { describeActivityConformance } from './conformance/activity.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeActivityConformance(useStore('postgres')),
);
