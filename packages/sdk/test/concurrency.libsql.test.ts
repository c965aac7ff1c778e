import { describe } from 'vitest';
import { describeLedgerConcurrency } from './conformance/concurrency.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeLedgerConcurrency(useStore('libsql-memory')));
describe('libSQL file', () => describeLedgerConcurrency(useStore('libsql-file')));
describe('libSQL file, writer thread', () => describeLedgerConcurrency(useStore('libsql-file-thread')));
