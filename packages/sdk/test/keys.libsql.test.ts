import { describe } from 'vitest';
import { describeKeyConformance } from './conformance/keys.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeKeyConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeKeyConformance(useStore('libsql-file')));
