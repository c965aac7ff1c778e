import { ClusterStore, type MoveReport, moveTenant, parseClusters } from '@guildmint/sdk/postgres';
import type { Command } from 'commander';
import { CliError } from './keys';

/** Where the CLI finds the clusters: `GUILDMINT_CLUSTERS` (`a=postgres://…;b=postgres://…`). */
export interface TenantsOptions {
  clusters?: () => string | undefined;
  out(line: string): void;
}

/** `tenants list` (placement, tenants per cluster) and `tenants move <id> --to <cluster>` (online, restartable). */
export function tenantsCommands(program: Command, o: TenantsOptions): void {
  const tenants = program.command('tenants').description('where tenants live across PostgreSQL clusters');
  tenants
    .command('list')
    .description('each tenant’s cluster and any move under way, then tenants per cluster')
    .action(() =>
      withClusters(o, async (store) => {
        const placements = await store.directory.list();
        const perCluster = new Map(store.names.map((name) => [name, 0]));
        for (const p of placements) {
          perCluster.set(p.cluster, (perCluster.get(p.cluster) ?? 0) + 1);
          const move = p.move
            ? p.move.step === 'switched'
              ? `  (moved from ${p.move.other}; removing the old copy)`
              : `  (moving to ${p.move.other}: ${p.move.step})`
            : '';
          o.out(`${p.tenant}\t${p.cluster}${move}`);
        }
        o.out([...perCluster].map(([name, n]) => `${name}: ${n} tenant${n === 1 ? '' : 's'}`).join(', '));
      }),
    );
  tenants
    .command('move')
    .description(
      'move a tenant to another cluster while it takes writes (a pause of its writes under a second); run it again after a crash to finish',
    )
    .argument('<id>', 'the tenant (its guild id)')
    .requiredOption('--to <cluster>', 'the cluster to move it to (a name in GUILDMINT_CLUSTERS)')
    .option('--grace-ms <ms>', 'wait between the switch and removing the old copy', '1000')
    .action((id: string, a: { to: string; graceMs: string }) =>
      withClusters(o, async (store) => {
        const graceMs = Number(a.graceMs);
        if (!Number.isInteger(graceMs) || graceMs < 0)
          throw new CliError('--grace-ms takes a whole number of ms');
        const report = await moveTenant(store, id, a.to, { graceMs, log: (line) => o.out(line) });
        o.out(summary(report));
      }),
    );
}

function summary(r: MoveReport): string {
  if (r.alreadyThere) return `${r.tenant} is on ${r.to} already: nothing to move`;
  const pause =
    r.pauseMs === null ? 'the pause began in an earlier run' : `writes paused ${r.pauseMs.toFixed(1)} ms`;
  const rows = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${table} ${n}`)
    .join(', ');
  return `moved ${r.tenant} from ${r.from} to ${r.to}: ${pause}; ${r.rowsCopied} rows copied in ${r.passes + 1} passes${rows ? `; rows on both sides: ${rows}` : ''}`;
}

async function withClusters(o: TenantsOptions, work: (store: ClusterStore) => Promise<void>): Promise<void> {
  const text = o.clusters?.();
  if (!text) throw new CliError('set GUILDMINT_CLUSTERS to the clusters (a=postgres://…;b=postgres://…)');
  let store: ClusterStore;
  try {
    store = new ClusterStore({ clusters: parseClusters(text) });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  try {
    await store.migrate();
    await work(store);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error));
  } finally {
    await store.close();
  }
}
