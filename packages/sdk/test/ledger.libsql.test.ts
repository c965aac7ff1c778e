import { describe } from 'vitest';
import { useStore } from './support/stores.js';
import { describeLedgerConformance } from './conformance/ledger.suite.js';

describe('libSQL :memory:', () => describeLedgerConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeLedgerConformance(useStore('libsql-file')));
