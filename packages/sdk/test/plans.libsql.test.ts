import { describe } from 'vitest';
import { describePlansConformance } from './conformance/plans.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL file', () => describePlansConformance(useStore('libsql-file')));
describe('libSQL memory', () => describePlansConformance(useStore('libsql-memory')));
