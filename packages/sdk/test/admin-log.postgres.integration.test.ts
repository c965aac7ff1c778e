import { describe } from 'vitest';
import { describeAdminLogConformance } from './conformance/admin-log.suite.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeAdminLogConformance(useStore('postgres')),
);
