import { describe } from 'vitest';
import { describeCrashRecovery } from './crash/harness.js';
import { postgresAvailable } from './support/services.js';
import { useStore } from './support/stores.js';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () =>
  describeCrashRecovery(useStore('postgres'), { kills: 24 }),
);
