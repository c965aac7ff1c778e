import { describe } from 'vitest';
import { describeWebhooksConformance, describeWorkerKill } from './conformance/webhooks.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () => {
  describeWebhooksConformance(useStore('postgres'));
  describeWorkerKill(useStore('postgres'));
});
