import { describe } from 'vitest';
import { describeCrashRecovery } from './crash/harness.js';
import { describeRollbackCrash } from './crash/rollback.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeCrashRecovery(useStore('postgres'), { kills: 24 }),
);
describe.skipIf(!(await postgresAvailable()))('PostgreSQL: rollback', () =>
  describeRollbackCrash(useStore('postgres'), { kills: 8 }),
);
