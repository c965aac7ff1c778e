import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createEconomy, type Tenant } from '@guildmint/sdk';
import type { Command } from 'commander';
import { openPlatformStore } from '../server/db';
import { openImportRunStore } from '../server/import';
import { MAX_CSV_BYTES } from '../server/import/csv';
import { ImportError } from '../server/import/errors';
import { balancesCsv, historyCsv } from '../server/import/export';
import {
  csvSource,
  dryRun,
  type ImportProgress,
  type PagedSource,
  runImport,
  unbelievaBoatSource,
} from '../server/import/importer';
import type { ImportTotals } from '../server/import/run-store';
import { CliError } from './keys';

/** Where the CLI finds things: the platform tables, the economy, and the owner's UnbelievaBoat token. */
export interface MovingOptions {
  databaseUrl(): string;
  economyUrl?: () => string;
  unbelievaBoatToken?: () => string | undefined;
  unbelievaBoatUrl?: string;
  out(line: string): void;
}

/** `import unbelievaboat`, `import csv` and `export balances|history`. */
export function movingCommands(program: Command, o: MovingOptions): void {
  const imports = program
    .command('import')
    .description('bring a server’s balances in, each member credited once');
  imports
    .command('unbelievaboat')
    .description(
      'import from UnbelievaBoat’s API with the owner’s token (env UNBELIEVABOAT_TOKEN); resumable',
    )
    .requiredOption('--tenant <id>', 'the tenant (its guild id)')
    .option('--guild <id>', 'the UnbelievaBoat guild to read (default: the tenant’s guild)')
    .option('--dry-run', 'read everything and print the totals; write nothing')
    .action(async (a: { tenant: string; guild?: string; dryRun?: boolean }) => {
      const token = o.unbelievaBoatToken?.();
      if (!token) throw new CliError('set UNBELIEVABOAT_TOKEN to the server owner’s UnbelievaBoat API token');
      await withTenant(o, a.tenant, async (tenant, guildId) => {
        const source = cliErrors(() =>
          unbelievaBoatSource({
            token,
            guildId: a.guild ?? guildId,
            ...(o.unbelievaBoatUrl && { baseUrl: o.unbelievaBoatUrl }),
          }),
        );
        await importFrom(o, tenant, source, a.dryRun === true);
      });
    });
  imports
    .command('csv')
    .description(
      'import from a CSV file with the header user_id,cash,bank (checked whole before anything is written)',
    )
    .requiredOption('--tenant <id>', 'the tenant (its guild id)')
    .requiredOption('--file <path>', 'the CSV file')
    .option('--dry-run', 'check the file and print the totals; write nothing')
    .action(async (a: { tenant: string; file: string; dryRun?: boolean }) => {
      const text = await readFile(a.file, 'utf8').catch(() => {
        throw new CliError(`cannot read ${a.file}`);
      });
      if (Buffer.byteLength(text) > MAX_CSV_BYTES) throw new CliError(`${a.file} is larger than 10 MB`);
      const source = cliErrors(() => csvSource(text));
      await withTenant(o, a.tenant, (tenant) => importFrom(o, tenant, source, a.dryRun === true));
    });

  program
    .command('export')
    .description('write balances (wallet, bank, total) or history (the ledger’s transfers) as CSV, streamed')
    .argument('<what>', 'balances or history')
    .requiredOption('--tenant <id>', 'the tenant (its guild id)')
    .requiredOption('--out <path>', 'the file to write')
    .action(async (what: string, a: { tenant: string; out: string }) => {
      const lines = what === 'balances' ? balancesCsv : what === 'history' ? historyCsv : null;
      if (!lines) throw new CliError('export takes balances or history');
      await withTenant(o, a.tenant, async (tenant) => {
        const file = createWriteStream(a.out);
        let rows = -1;
        for await (const chunk of lines(tenant)) {
          rows += chunk.split('\n').length - 1;
          if (!file.write(chunk)) await once(file, 'drain');
        }
        file.end();
        await once(file, 'finish');
        o.out(`Wrote ${rows} rows to ${a.out}.`);
      });
    });
}

async function importFrom(o: MovingOptions, tenant: Tenant, source: PagedSource, dry: boolean) {
  const progress = ({ page, totalPages, totals }: ImportProgress) =>
    o.out(`page ${page}/${totalPages}: ${summary(totals)}`);
  if (dry) {
    const totals = await cliErrorsAsync(() => dryRun(source, progress));
    o.out(`Dry run, nothing written: ${summary(totals)}`);
    return;
  }
  const runs = openImportRunStore(o.databaseUrl());
  try {
    const totals = await cliErrorsAsync(() =>
      runImport({ tenant, runs, source, actor: 'cli', onProgress: progress }),
    );
    o.out(`Imported: ${summary(totals)}`);
  } finally {
    await runs.close();
  }
}

function summary(t: ImportTotals): string {
  return `${t.members} members read, ${t.credited} credited (wallet ${t.wallet}, bank ${t.bank}), ${t.alreadyImported} imported before, ${t.empty} with nothing, ${t.negatives} with debts left behind`;
}

async function withTenant(
  o: MovingOptions,
  tenantId: string,
  work: (tenant: Tenant, guildId: string) => Promise<void>,
): Promise<void> {
  const platform = openPlatformStore(o.databaseUrl());
  try {
    await platform.migrate();
    const record = await platform.tenant(tenantId);
    if (!record)
      throw new CliError(`no tenant ${tenantId}: its owner onboards it in the control plane first`);
    if (!o.economyUrl) throw new CliError('no economy storage configured (ECONOMY_STORAGE)');
    const economy = createEconomy({ storage: o.economyUrl() });
    try {
      await economy.migrate();
      await work(economy.tenant(tenantId), record.guildId);
    } finally {
      await economy.close();
    }
  } finally {
    await platform.close();
  }
}

/** An import's refusal as one line for the operator (a CSV's problems each on their own line). */
function asCliError(error: unknown): unknown {
  if (!(error instanceof ImportError)) return error;
  return new CliError([error.message, ...error.issues.map((i) => `  ${i}`)].join('\n'));
}

function cliErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asCliError(error);
  }
}

async function cliErrorsAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asCliError(error);
  }
}
