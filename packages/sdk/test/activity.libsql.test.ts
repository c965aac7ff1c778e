import { describe } from 'vitest';
import { describeActivityConformance } from './conformance/activity.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeActivityConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeActivityConformance(useStore('libsql-file')));
