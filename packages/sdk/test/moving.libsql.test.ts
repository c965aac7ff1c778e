import { describe } from 'vitest';
import { describeMovingConformance } from './conformance/moving.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeMovingConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeMovingConformance(useStore('libsql-file')));
