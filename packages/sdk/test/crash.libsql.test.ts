import { describe } from 'vitest';
import { describeCrashRecovery } from './crash/harness.js';
import { useStore } from './support/stores.js';

describe('libSQL file', () => describeCrashRecovery(useStore('libsql-file'), { kills: 24 }));
