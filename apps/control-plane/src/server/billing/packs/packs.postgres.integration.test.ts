import { describe } from 'vitest';
import { postgresAvailable } from '../../../../test/support/services';
import { packsSuite } from './packs.suite';

describe.skipIf(!(await postgresAvailable()))('PostgreSQL', () => packsSuite('postgres'));
