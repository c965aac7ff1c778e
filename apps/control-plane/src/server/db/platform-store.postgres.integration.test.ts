import { describe, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../../test/support/services';
import { openPlatformStore } from './index';
import { platformStoreSuite } from './platform-store.suite';

if (await postgresAvailable()) {
  platformStoreSuite('PostgreSQL', async () => {
    const db = await createTestDatabase('platform_store');
    return { store: openPlatformStore(db.url), drop: () => db.drop() };
  });
} else {
  describe.skip('platform store: PostgreSQL (no server)', () => it('skipped'));
}
