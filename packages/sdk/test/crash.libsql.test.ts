import { describe } from 'vitest';
import { describeCrashRecovery } from './crash/harness.js';
import { describeRollbackCrash } from './crash/rollback.js';
import { useStore } from './support/stores.js';

describe('libSQL file', () => describeCrashRecovery(useStore('libsql-file'), { kills: 24 }));
describe('libSQL file: rollback', () => describeRollbackCrash(useStore('libsql-file'), { kills: 8 }));
