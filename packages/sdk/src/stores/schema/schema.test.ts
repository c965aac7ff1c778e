import { getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { postgresMigrations, sqliteMigrations } from '../migrations.generated.js';
import * as pg from './pg.js';
import * as sqlite from './sqlite.js';

function shape(config: {
  name: string;
  columns: Array<{ name: string; notNull: boolean }>;
  primaryKeys: Array<{ columns: Array<{ name: string }> }>;
  indexes: Array<{ config: { name?: string; columns: unknown[]; unique: boolean } }>;
}) {
  return {
    name: config.name,
    columns: config.columns.map((c) => [c.name, c.notNull]).sort(),
    primaryKey: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    indexes: config.indexes
      .map((i) => ({
        name: i.config.name,
        columns: (i.config.columns as Array<{ name: string }>).map((c) => c.name),
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
  };
}

describe('storage schema', () => {
  it('has the same tables, columns, keys and indexes in both dialects', () => {
    const pairs = [
      [sqlite.transfers, pg.transfers],
      [sqlite.balances, pg.balances],
      [sqlite.state, pg.state],
      [sqlite.flows, pg.flows],
      [sqlite.audit, pg.audit],
      [sqlite.configs, pg.configs],
      [sqlite.rollups, pg.rollups],
      [sqlite.memberProfiles, pg.memberProfiles],
      [sqlite.outbox, pg.outbox],
      [sqlite.webhookDeliveries, pg.webhookDeliveries],
      [sqlite.webhookAttempts, pg.webhookAttempts],
    ] as const;
    for (const [lite, postgres] of pairs) {
      expect(shape(sqliteConfig(lite) as never)).toEqual(shape(pgConfig(postgres) as never));
    }
  });

  it('leads every primary key and index with tenant_id (tables distribute by tenant)', () => {
    for (const table of [
      pg.transfers,
      pg.balances,
      pg.state,
      pg.flows,
      pg.audit,
      pg.configs,
      pg.rollups,
      pg.memberProfiles,
    ]) {
      const s = shape(pgConfig(table) as never);
      for (const pk of s.primaryKey) expect(pk[0]).toBe('tenant_id');
      for (const index of s.indexes) expect(index.columns[0]).toBe('tenant_id');
    }
  });

  it("leads the webhook tables' primary keys with tenant_id (their due indexes span tenants: the worker claims across them)", () => {
    for (const table of [pg.outbox, pg.webhookDeliveries, pg.webhookAttempts]) {
      for (const pk of shape(pgConfig(table) as never).primaryKey) expect(pk[0]).toBe('tenant_id');
    }
  });

  it('ships a migration for each dialect, in the same steps', () => {
    expect(postgresMigrations.map((m) => m.tag)).toEqual(sqliteMigrations.map((m) => m.tag));
    expect(postgresMigrations.length).toBeGreaterThan(0);
  });
});
