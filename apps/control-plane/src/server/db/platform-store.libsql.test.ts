import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPlatformStore } from './index';
import { platformStoreSuite } from './platform-store.suite';

platformStoreSuite('libSQL file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-platform-'));
  return {
    store: openPlatformStore(`file:${join(dir, 'nested', 'platform.db')}`),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
