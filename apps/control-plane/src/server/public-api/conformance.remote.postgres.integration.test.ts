import { describe } from 'vitest';
import { describeEconomyConformance } from '../../../../../packages/sdk/test/conformance/economy.suite';
import { describeLedgerConformance } from '../../../../../packages/sdk/test/conformance/ledger.suite';
import { useRemoteStore } from '../../../test/support/remote-target';
import { postgresAvailable } from '../../../test/support/services';

// The SDK's ledger and economy conformance suites against its remote client over API v1, PostgreSQL
// underneath (the platform tables and the economy in one database, as a deployment has them).
describe.skipIf(!(await postgresAvailable()))('remote client over API v1 (PostgreSQL)', () => {
  describeLedgerConformance(useRemoteStore('remote-postgres'));
  describeEconomyConformance(useRemoteStore('remote-postgres'));
});
