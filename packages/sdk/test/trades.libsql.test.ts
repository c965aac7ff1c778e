import { describe } from 'vitest';
import { describeTradesConformance } from './conformance/trades.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeTradesConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeTradesConformance(useStore('libsql-file')));
