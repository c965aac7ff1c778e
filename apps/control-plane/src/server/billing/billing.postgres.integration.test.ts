import { describe } from 'vitest';
import { postgresAvailable } from '../../../test/support/services';
import { billingSuite } from './billing.suite';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () => billingSuite('postgres'));
