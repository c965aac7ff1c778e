import { describe } from 'vitest';
import { describeAnalyticsConformance } from './conformance/analytics.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () => {
  describeAnalyticsConformance(useStore('postgres'));
});
