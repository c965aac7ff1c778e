import { describe } from 'vitest';
import { describeRollbackConformance } from './conformance/rollback.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeRollbackConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeRollbackConformance(useStore('libsql-file')));
