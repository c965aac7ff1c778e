import type { importRuns } from '../db/schema/imports.sqlite';

/** Where an import run stands: saved after every page, so a restart continues from `nextPage`. */
export interface ImportRun {
  tenantId: string;
  source: ImportSource;
  /** UnbelievaBoat's guild id, or the SHA-256 of a CSV file. */
  ref: string;
  status: 'running' | 'done';
  nextPage: number;
  progress: ImportTotals;
  startedBy: string;
  updatedAt: Date;
}

export type ImportSource = 'unbelievaboat' | 'csv';

/** What an import read and did so far. */
export interface ImportTotals {
  /** Members read from the source. */
  members: number;
  /** Members credited by this run. */
  credited: number;
  /** Members credited before (a re-run, or a resumed page): nothing changed for them. */
  alreadyImported: number;
  /** Members with nothing to import (zero, or only debts). */
  empty: number;
  /** Members whose cash or bank was negative at the source: the negative part is not imported. */
  negatives: number;
  wallet: bigint;
  bank: bigint;
}

export const emptyTotals = (): ImportTotals => ({
  members: 0,
  credited: 0,
  alreadyImported: 0,
  empty: 0,
  negatives: 0,
  wallet: 0n,
  bank: 0n,
});

export interface ImportRunStore {
  get(tenantId: string, source: ImportSource, ref: string): Promise<ImportRun | null>;
  /** Insert or replace the run's row. */
  save(run: ImportRun): Promise<void>;
  /** A tenant's runs, the latest first. */
  list(tenantId: string): Promise<ImportRun[]>;
  close(): Promise<void>;
}

type Row = typeof importRuns.$inferSelect;

export function toRow(run: ImportRun): Row {
  const { wallet, bank, ...counts } = run.progress;
  return {
    tenantId: run.tenantId,
    source: run.source,
    ref: run.ref,
    status: run.status,
    nextPage: run.nextPage,
    progress: JSON.stringify({ ...counts, wallet: wallet.toString(), bank: bank.toString() }),
    startedBy: run.startedBy,
    updatedAt: run.updatedAt,
  };
}

export function toRun(row: Row): ImportRun {
  const saved = JSON.parse(row.progress) as Omit<ImportTotals, 'wallet' | 'bank'> & {
    wallet: string;
    bank: string;
  };
  return {
    tenantId: row.tenantId,
    source: row.source as ImportSource,
    ref: row.ref,
    status: row.status,
    nextPage: row.nextPage,
    progress: { ...saved, wallet: BigInt(saved.wallet), bank: BigInt(saved.bank) },
    startedBy: row.startedBy,
    updatedAt: row.updatedAt,
  };
}
