import { describe } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../../test/support/services';
import { openPlatformStore } from './index';
import { platformStoreSuite } from './platform-store.suite';

// Without a server (and outside CI) the suite is skipped; postgresAvailable() says so loudly, and under
// CI it throws instead, so a missing PostgreSQL fails the run.
describe.skipIf(!(await postgresAvailable()))('platform store on PostgreSQL', () => {
  platformStoreSuite('PostgreSQL', async () => {
    const db = await createTestDatabase('platform_store');
    return { store: openPlatformStore(db.url), drop: () => db.drop() };
  });
});
