import { describe } from 'vitest';
import { describeEconomyConformance } from '../../../../../packages/sdk/test/conformance/economy.suite';
import { describeLedgerConformance } from '../../../../../packages/sdk/test/conformance/ledger.suite';
import { useRemoteStore } from '../../../test/support/remote-target';

// The SDK's ledger and economy conformance suites, unchanged, against its remote client over API v1
// (libSQL file underneath); the PostgreSQL run is conformance.remote.postgres.integration.test.ts.
describe('remote client over API v1 (libSQL file)', () => {
  describeLedgerConformance(useRemoteStore('remote-libsql'));
  describeEconomyConformance(useRemoteStore('remote-libsql'));
});
