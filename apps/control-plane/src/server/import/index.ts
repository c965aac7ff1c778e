export type { ImportRun, ImportRunStore, ImportSource, ImportTotals } from './run-store';
export { openImportRunStore } from './run-store.drizzle';
