import { describe } from 'vitest';
import { ledgerModelSuite } from './conformance/model.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('ledger model: PostgreSQL', () => {
  ledgerModelSuite(useStore('postgres'), { runs: 60, maxCommands: 30 });
});
