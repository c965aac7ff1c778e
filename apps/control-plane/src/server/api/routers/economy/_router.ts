import { tenantAdminProcedure } from '../../../procedures/tenant-admin';
import { createTRPCRouter } from '../../trpc';
import { costlyProcedure } from './costly';
import { currentHandler } from './current.handler';
import { historyHandler } from './history.handler';
import { previewHandler } from './preview.handler';
import { previewInput } from './preview.schema';
import { publishHandler } from './publish.handler';
import { publishInput } from './publish.schema';
import { rollbackHandler } from './rollback.handler';
import { simulateHandler } from './simulate.handler';
import { simulateInput } from './simulate.schema';
import { versionHandler } from './version.handler';
import { versionInput } from './version.schema';

/** Budget points per call: a simulation costs seconds of CPU, a preview milliseconds (see runtime.ts). */
const PREVIEW_POINTS = 1;
const SIMULATE_POINTS = 10;

export const economyRouter = createTRPCRouter({
  current: tenantAdminProcedure.query(currentHandler),
  // Queries with a body-sized input: the editor sends them with POST (see trpc/react.tsx).
  preview: costlyProcedure(PREVIEW_POINTS).input(previewInput).query(previewHandler),
  simulate: costlyProcedure(SIMULATE_POINTS).input(simulateInput).query(simulateHandler),
  publish: tenantAdminProcedure.input(publishInput).mutation(publishHandler),
  history: tenantAdminProcedure.query(historyHandler),
  version: tenantAdminProcedure.input(versionInput).query(versionHandler),
  rollback: tenantAdminProcedure.input(versionInput).mutation(rollbackHandler),
});
