import type { Migration } from './migrations.generated';

/** Migrations not yet applied, in order. */
export function pending(all: readonly Migration[], applied: ReadonlySet<string>): Migration[] {
  return all.filter((m) => !applied.has(m.tag));
}

export const MIGRATIONS_TABLE = 'cp_migrations';
