import type { ImportRunStore } from './run-store';
import { LibsqlImportRunStore } from './run-store.libsql';
import { PostgresImportRunStore } from './run-store.postgres';

export type { ImportRun, ImportRunStore, ImportSource, ImportTotals } from './run-store';

/** The import runs table in the platform database at `url` (the platform store's migrations create it). */
export function openImportRunStore(url: string): ImportRunStore {
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresImportRunStore(url);
  if (url.startsWith('file:')) return new LibsqlImportRunStore(url);
  throw new Error(
    `import runs need a platform database that other connections can open, not ${url.split(':')[0]}:…`,
  );
}
