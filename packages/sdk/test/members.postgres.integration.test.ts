import { describe } from 'vitest';
import { describeMembersConformance } from './conformance/members.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeMembersConformance(useStore('postgres')),
);
