import { describe } from 'vitest';
import { describeAnalyticsConformance } from './conformance/analytics.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeAnalyticsConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeAnalyticsConformance(useStore('libsql-file')));
