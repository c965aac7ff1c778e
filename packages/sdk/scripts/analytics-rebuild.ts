// pnpm --filter @guildmint/sdk run analytics:rebuild -- --tenant <id> [--storage <url>] [--repair]
// Re-derives every analytics rollup of a tenant from its ledger history and compares it with what the
// write path kept; with --repair, replaces the kept rows when they differ. Exits 1 when they differ
// and were not repaired. Storage: --storage, else DATABASE_URL, else the SDK's default file.
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { createEconomy } from '../src/index.js';

const program = new Command('analytics:rebuild')
  .description('Re-derive a tenant’s analytics rollups from its ledger and prove they equal what was kept.')
  .requiredOption('--tenant <id>', 'the tenant (guild) id')
  .option(
    '--storage <url>',
    'file:…, :memory: or postgres://… (default: $DATABASE_URL, else file:guildmint.db)',
  )
  .option('--repair', 'replace the kept rollups when they differ (run while the tenant is quiet)', false)
  .parse(process.argv.filter((arg) => arg !== '--'));

const options = program.opts<{ tenant: string; storage?: string; repair: boolean }>();
const storage = options.storage ?? process.env.DATABASE_URL;
const economy = createEconomy(storage === undefined ? {} : { storage });
const bar = new cliProgress.SingleBar(
  { format: 'reading the ledger {bar} {value} transfers', clearOnComplete: false },
  cliProgress.Presets.shades_classic,
);
try {
  await economy.migrate();
  bar.start(0, 0);
  const check = await economy.tenant(options.tenant).analytics.rebuild({
    repair: options.repair,
    onProgress: (n) => {
      // The history's length is unknown until it is read: the bar shows what was read so far.
      bar.setTotal(n);
      bar.update(n);
    },
  });
  bar.stop();
  console.log(`${check.transfers} transfers, ${check.rows} rollup rows compared`);
  if (check.ok) console.log('the kept rollups equal the ledger');
  else {
    console.log(
      `${check.differences.length === 100 ? 'at least 100' : check.differences.length} rows differ:`,
    );
    for (const d of check.differences.slice(0, 20)) {
      const show = (v: typeof d.kept) => (v ? `${v.amount} / ${v.count}` : 'missing');
      console.log(
        `  hour ${new Date(d.bucket * 3_600_000).toISOString()} ${d.metric} ${d.key || '-'}: kept ${show(d.kept)}, ledger ${show(d.derived)}`,
      );
    }
    console.log(
      check.repaired
        ? 'repaired: the rollups now equal the ledger'
        : 'run again with --repair to replace them',
    );
  }
  process.exitCode = check.ok || check.repaired ? 0 : 1;
} finally {
  bar.stop();
  await economy.close();
}
