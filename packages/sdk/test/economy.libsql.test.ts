import { describe } from 'vitest';
import { describeEconomyConformance } from './conformance/economy.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeEconomyConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeEconomyConformance(useStore('libsql-file')));
describe('libSQL file, writer thread', () => describeEconomyConformance(useStore('libsql-file-thread')));
