import { describe, it } from 'vitest';
import { postgresAvailable } from '../../../test/support/services';
import { economySuite } from './routers/economy/economy.suite';
import { membersSuite } from './routers/members/members.suite';
import { onboardingSuite } from './routers/tenants/onboarding.suite';

// The same procedure suites as the libSQL tests, with the platform tables and the economy on PostgreSQL.
if (await postgresAvailable()) {
  onboardingSuite('postgres');
  economySuite('postgres');
  membersSuite('postgres');
} else {
  describe.skip('control-plane procedures on PostgreSQL (no server)', () => it('skipped'));
}
