import { isGuildmintError } from '../sdk';
import { ImportError } from './errors';
import type { ImportProgress } from './importer';
import type { ImportTotals } from './run-store';

/** One tenant's import running in this process, as the control plane's progress view shows it. */
export interface ImportJobState {
  state: 'running' | 'done' | 'failed';
  progress: ImportProgress | null;
  totals: ImportTotals | null;
  error: string | null;
}

/**
 * Imports started from the control plane run in the background of the process that took the request;
 * the page polls their progress. At most one per tenant at a time. A crash loses only this view: the
 * import's progress is saved per page, and starting it again continues.
 */
export class ImportJobs {
  private readonly jobs = new Map<string, ImportJobState & { settled: Promise<void> }>();

  /** Starts `work` unless this tenant's import is running; false if it is. */
  start(tenantId: string, work: (onProgress: (p: ImportProgress) => void) => Promise<ImportTotals>): boolean {
    if (this.jobs.get(tenantId)?.state === 'running') return false;
    const job: ImportJobState & { settled: Promise<void> } = {
      state: 'running',
      progress: null,
      totals: null,
      error: null,
      settled: Promise.resolve(),
    };
    job.settled = work((p) => {
      job.progress = { ...p, totals: { ...p.totals } };
    }).then(
      (totals) => {
        job.state = 'done';
        job.totals = totals;
      },
      (error: unknown) => {
        job.state = 'failed';
        if (error instanceof ImportError || isGuildmintError(error)) job.error = error.message;
        else {
          console.error('import failed', { tenantId, error });
          job.error = 'the import stopped on an unexpected error; start it again to continue';
        }
      },
    );
    this.jobs.set(tenantId, job);
    return true;
  }

  state(tenantId: string): ImportJobState | null {
    const job = this.jobs.get(tenantId);
    if (!job) return null;
    const { settled: _, ...state } = job;
    return state;
  }

  /** Resolves when this tenant's current job has ended (tests, shutdown). */
  settled(tenantId: string): Promise<void> {
    return this.jobs.get(tenantId)?.settled ?? Promise.resolve();
  }
}

/** This process's import jobs. */
export const importJobs = new ImportJobs();
