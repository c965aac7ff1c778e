import { describe } from 'vitest';
import { badInputSuite } from './conformance/bad-input.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('bad input: PostgreSQL', () => {
  badInputSuite(useStore('postgres'));
});
