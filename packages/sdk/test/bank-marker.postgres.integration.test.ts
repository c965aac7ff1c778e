import { describe } from 'vitest';
import { describeBankMarker } from './conformance/bank-marker.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () => {
  describeBankMarker(useStore('postgres'));
});
