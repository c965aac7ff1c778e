import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './auto-failover.js';

// Separate PostgreSQL clusters on loopback for placement tests and benchmarks: each its own initdb in a
// temporary folder, its own port, started with pg_ctl (as the postgres user when we are root: PostgreSQL
// will not run as root) and stopped by its data folder, whose postmaster.pid names the one process.

const BIN = '/usr/lib/postgresql/15/bin';

export interface LocalCluster {
  name: string;
  port: number;
  /** The `test` database of this cluster. */
  url: string;
  /** The postmaster's pid. */
  pid: number;
}

export interface LocalClusters {
  clusters: LocalCluster[];
  /** name → URL, as `createEconomy({ storage: { clusters } })` takes it. */
  urls: Record<string, string>;
  /** Stops every cluster (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

/** Can clusters be made here (the PostgreSQL 15 server binaries are installed)? */
export function localClustersAvailable(): boolean {
  try {
    execFileSync(join(BIN, 'initdb'), ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts one cluster per name (initdb + pg_ctl, trust auth on 127.0.0.1 only, a `test` database).
 * `settings` are extra `-c` server settings (tests pass `fsync=off`: nothing here survives a power cut).
 */
export async function startLocalClusters(
  names: readonly string[],
  o: { settings?: Record<string, string> } = {},
): Promise<LocalClusters> {
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-clusters-'));
  chmodSync(dir, 0o777);
  const started: Array<LocalCluster & { data: string }> = [];
  const stop = async () => {
    for (const c of started) {
      try {
        run('pg_ctl', ['-D', c.data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // Already down.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const name of names) {
      const data = join(dir, name);
      const port = await freePort();
      run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
      const settings = {
        listen_addresses: '127.0.0.1',
        port: String(port),
        unix_socket_directories: dir,
        max_connections: '60',
        ...o.settings,
      };
      const options = Object.entries(settings)
        .map(([k, v]) => `-c ${k}=${v}`)
        .join(' ');
      run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, `${name}.log`), '-w', '-t', '30', 'start']);
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      await admin.connect();
      await admin.query('CREATE DATABASE test');
      await admin.end();
      started.push({ name, port, pid, data, url: `postgres://postgres@127.0.0.1:${port}/test` });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    clusters: started.map(({ data: _data, ...c }) => c),
    urls: Object.fromEntries(started.map((c) => [c.name, c.url])),
    stop,
  };
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function run(binary: string, args: string[]): void {
  const path = join(BIN, binary);
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'runuser' : path, asRoot ? ['-u', 'postgres', '--', path, ...args] : args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}
