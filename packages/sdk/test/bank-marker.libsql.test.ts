import { describe } from 'vitest';
import { describeBankMarker } from './conformance/bank-marker.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL file', () => describeBankMarker(useStore('libsql-file')));
