import { describe } from 'vitest';
import { postgresAvailable } from '../../../test/support/services';
import { economySuite } from './routers/economy/economy.suite';
import { importsSuite } from './routers/imports/imports.suite';
import { membersSuite } from './routers/members/members.suite';
import { onboardingSuite } from './routers/tenants/onboarding.suite';

// The same procedure suites as the libSQL tests, with the platform tables and the economy on PostgreSQL.
// Without a server (and outside CI) they are skipped with a loud line; under CI a missing server fails.
describe.skipIf(!(await postgresAvailable()))('control-plane procedures on PostgreSQL', () => {
  onboardingSuite('postgres');
  economySuite('postgres');
  membersSuite('postgres');
  importsSuite('postgres');
});
