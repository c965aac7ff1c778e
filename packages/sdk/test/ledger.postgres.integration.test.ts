import { describe } from 'vitest';
import { describeLedgerConformance } from './conformance/ledger.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeLedgerConformance(useStore('postgres')),
);
