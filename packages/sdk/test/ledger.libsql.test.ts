import { describe } from 'vitest';
import { describeLedgerConformance } from './conformance/ledger.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeLedgerConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeLedgerConformance(useStore('libsql-file')));
describe('libSQL file, writer thread', () => describeLedgerConformance(useStore('libsql-file-thread')));
