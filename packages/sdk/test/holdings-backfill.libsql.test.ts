import { describe } from 'vitest';
import { describeHoldingsBackfill } from './conformance/holdings-backfill.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL file', () => describeHoldingsBackfill(useStore('libsql-file')));
