import { describe } from 'vitest';
import { ledgerModelSuite } from './conformance/model.suite.js';
import { useStore } from './support/stores.js';

describe('ledger model: libSQL :memory:', () => {
  ledgerModelSuite(useStore('libsql-memory'), { runs: 100, maxCommands: 30 });
});

describe('ledger model: libSQL file', () => {
  ledgerModelSuite(useStore('libsql-file'), { runs: 60, maxCommands: 30 });
});
