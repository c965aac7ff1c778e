import { describe } from 'vitest';
import { describeLedgerConcurrency } from './conformance/concurrency.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeLedgerConcurrency(useStore('postgres')),
);
