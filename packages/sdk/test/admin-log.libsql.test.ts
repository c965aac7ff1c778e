import { describe } from 'vitest';
import { describeAdminLogConformance } from './conformance/admin-log.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL file', () => describeAdminLogConformance(useStore('libsql-file')));
