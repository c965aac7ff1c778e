import { describe } from 'vitest';
import { postgresAvailable } from '../../../test/support/services';
import { describeSecretsAtRest } from './secrets.suite';

describe.skipIf(!(await postgresAvailable()))('on PostgreSQL', () => describeSecretsAtRest('postgres'));
