import { describe } from 'vitest';
import { badInputSuite } from './conformance/bad-input.suite.js';
import { useStore } from './support/stores.js';

describe('bad input: libSQL :memory:', () => {
  badInputSuite(useStore('libsql-memory'));
});

describe('bad input: libSQL file', () => {
  badInputSuite(useStore('libsql-file'));
});
