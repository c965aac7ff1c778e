import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { servicesRequired } from './required.js';

// A pg_auto_failover formation on loopback for tests: a monitor, a primary and two standbys
// (number_sync_standbys = 1, so a commit waits for one standby), each node its own pg_autoctl keeper.

const BIN = '/usr/lib/postgresql/15/bin';
/** The states in which a node takes writes. */
const PRIMARY_STATES = new Set(['single', 'wait_primary', 'primary']);

/** Is pg_auto_failover installed (Debian's postgresql-15-auto-failover)? Under CI its absence is an error. */
export function autoFailoverAvailable(): boolean {
  try {
    execFileSync('pg_autoctl', ['--version'], { stdio: 'ignore', env: withBin() });
    return true;
  } catch (error) {
    if (servicesRequired) {
      throw new Error(`pg_auto_failover is required (CI) but pg_autoctl is not installed: ${error}`);
    }
    console.warn(
      '\n!!!!! SKIPPING the failover suites: pg_autoctl is not installed (apt-get install postgresql-15-auto-failover) !!!!!\n',
    );
    return false;
  }
}

export interface FailoverNode {
  name: string;
  port: number;
  /** A one-host URL of this node's `test` database. */
  url: string;
}

export interface FailoverCluster {
  /** The multi-host URL a client uses: every node, `target_session_attrs=read-write`. */
  url: string;
  nodes: FailoverNode[];
  /** The node the monitor has as primary now (waits until there is exactly one). */
  primary(timeoutMs?: number): Promise<FailoverNode>;
  /** kill -9 of a node's keeper and its PostgreSQL: the machine is gone, as far as anyone can tell. */
  kill(node: FailoverNode): void;
  /** Freezes a node or the monitor (`'monitor'`) with SIGSTOP: alive to the kernel, silent to everyone. */
  pause(name: string): void;
  /** Lets a paused node or monitor go on (SIGCONT). */
  resume(name: string): void;
  /** Starts a killed node's keeper again; it rejoins as a standby. */
  restart(node: FailoverNode): void;
  /** Waits until the formation is whole: one primary, every other node a secondary, all as assigned. */
  healthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a monitor and three nodes in a temporary folder; failure detection is tuned to a few seconds. */
export async function startFailoverCluster(
  o: { log?: (line: string) => void } = {},
): Promise<FailoverCluster> {
  const log = o.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-failover-'));
  chmodSync(dir, 0o777);
  const asRoot = process.getuid?.() === 0;
  const keepers = new Map<string, ChildProcess>();
  const monitorPort = await freePort();
  const monitorUrl = `postgres://autoctl_node@127.0.0.1:${monitorPort}/pg_auto_failover?sslmode=disable`;
  const nodes: FailoverNode[] = [];
  for (const name of ['node_1', 'node_2', 'node_3']) {
    const port = await freePort();
    nodes.push({ name, port, url: `postgres://postgres@127.0.0.1:${port}/test?sslmode=disable` });
  }

  const start = (name: string, args: string[]) => {
    const env = { ...withBin(), XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
    // PostgreSQL will not run as root: as root, the keeper runs as the postgres user.
    const [command, argv] = asRoot
      ? [
          'runuser',
          [
            '-u',
            'postgres',
            '--',
            'env',
            ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
            'pg_autoctl',
            ...args,
          ],
        ]
      : ['pg_autoctl', args];
    const child = spawn(command as string, argv as string[], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => log(`${name}: ${chunk.toString().trimEnd()}`));
    child.stderr?.on('data', (chunk: Buffer) => log(`${name}: ${chunk.toString().trimEnd()}`));
    keepers.set(name, child);
  };
  const pgdata = (name: string) => join(dir, name);
  const common = ['--hostname', '127.0.0.1', '--auth', 'trust', '--no-ssl'];
  const nodeArgs = (node: FailoverNode) => [
    'create',
    'postgres',
    '--pgdata',
    pgdata(node.name),
    '--pgport',
    String(node.port),
    '--name',
    node.name,
    '--dbname',
    'test',
    '--monitor',
    monitorUrl,
    ...common,
    '--run',
  ];

  const monitorSql = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
    const client = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${monitorPort}/pg_auto_failover`,
      connectionTimeoutMillis: 1_000,
    });
    try {
      await client.connect();
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end().catch(() => {});
    }
  };
  const states = () =>
    monitorSql<{ nodename: string; reportedstate: string; goalstate: string }>(
      'SELECT nodename, reportedstate, goalstate FROM pgautofailover.node ORDER BY nodeid',
    );
  /** Polls `check` until it holds; `nudge` runs between polls (a CHECKPOINT lets a base backup start now). */
  const until = async (
    what: string,
    timeoutMs: number,
    check: () => Promise<boolean>,
    nudge?: () => Promise<void>,
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline)
        throw new Error(
          `pg_auto_failover: ${what} not reached in ${timeoutMs} ms: ${JSON.stringify(await states().catch(() => []))}`,
        );
      await nudge?.().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const checkpointPrimary = async () => {
    const rows = await states();
    const primary = nodes.find((n) =>
      rows.some((r) => r.nodename === n.name && r.reportedstate.includes('primary')),
    );
    if (!primary) return;
    const client = new pg.Client({ connectionString: primary.url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('CHECKPOINT');
    } finally {
      await client.end().catch(() => {});
    }
  };

  /**
   * Signals every process of a node (or the monitor): the keeper this test started and all its descendants,
   * and the postmaster named in its data folder with all of its (the backends, which would otherwise answer
   * the connections they hold, even when the keeper's own children were reparented). The postmaster's pid is
   * checked to be this node's first: a stale pid file never names someone else's process.
   */
  const signalNode = (name: string, signal: 'SIGSTOP' | 'SIGCONT' | 'SIGKILL') => {
    const roots: number[] = [];
    const keeper = keepers.get(name)?.pid;
    if (keeper) roots.push(keeper);
    const postmaster = readPostmasterPid(pgdata(name));
    if (postmaster !== null && commandLineOf(postmaster).includes(pgdata(name))) roots.push(postmaster);
    for (const pid of new Set(roots.flatMap((root) => [root, ...descendantsOf(root)])))
      signalQuietly(pid, signal);
  };

  const cluster: FailoverCluster = {
    url: `postgres://postgres@${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}/test?target_session_attrs=read-write&sslmode=disable`,
    nodes,
    async primary(timeoutMs = 30_000) {
      let found: FailoverNode | undefined;
      // The monitor's assigned state is the truth: a killed primary still reports "primary" (it can no longer
      // report anything) while its goal is already "demoted".
      await until('one primary', timeoutMs, async () => {
        const rows = await states();
        const primaries = rows.filter(
          (r) => PRIMARY_STATES.has(r.goalstate) && r.reportedstate === r.goalstate,
        );
        found = primaries.length === 1 ? nodes.find((n) => n.name === primaries[0]!.nodename) : undefined;
        return found !== undefined;
      });
      return found!;
    },
    kill(node) {
      // Frozen first, then killed: the postmaster, every backend (an orphaned backend could otherwise still
      // answer a connection it holds) and the keeper, so nothing of the node acts after this returns.
      signalNode(node.name, 'SIGSTOP');
      signalNode(node.name, 'SIGKILL');
      keepers.delete(node.name);
    },
    pause(name) {
      signalNode(name, 'SIGSTOP');
    },
    resume(name) {
      signalNode(name, 'SIGCONT');
    },
    restart(node) {
      start(node.name, ['run', '--pgdata', pgdata(node.name)]);
    },
    async healthy(timeoutMs = 120_000) {
      await until(
        'a whole formation',
        timeoutMs,
        async () => {
          const rows = await states();
          return (
            rows.length === nodes.length &&
            rows.filter((r) => r.reportedstate === 'primary').length === 1 &&
            rows.filter((r) => r.reportedstate === 'secondary').length === nodes.length - 1 &&
            rows.every((r) => r.reportedstate === r.goalstate)
          );
        },
        checkpointPrimary,
      );
    },
    async stop() {
      for (const name of ['monitor', ...nodes.map((n) => n.name)]) signalNode(name, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    start('monitor', [
      'create',
      'monitor',
      '--pgdata',
      pgdata('monitor'),
      '--pgport',
      String(monitorPort),
      ...common,
      '--run',
    ]);
    await until('the monitor', 60_000, async () => (await monitorSql('SELECT 1')).length === 1);
    // Failure detection in seconds, not the production defaults (20 s and more), so the test is short.
    for (const setting of [
      'pgautofailover.health_check_period = 1000',
      'pgautofailover.health_check_timeout = 1000',
      'pgautofailover.health_check_max_retries = 1',
      'pgautofailover.health_check_retry_delay = 500',
      'pgautofailover.node_considered_unhealthy_timeout = 2000',
      'pgautofailover.primary_demote_timeout = 3000',
    ]) {
      await monitorSql(`ALTER SYSTEM SET ${setting}`);
    }
    await monitorSql('SELECT pg_reload_conf()');
    // The first node becomes the primary before the others join (they base-backup from it).
    start(nodes[0]!.name, nodeArgs(nodes[0]!));
    await until('the first node', 60_000, async () =>
      (await states()).some((r) => r.reportedstate === 'single'),
    );
    for (const node of nodes.slice(1)) start(node.name, nodeArgs(node));
    await cluster.healthy();
    const [settings] = await monitorSql<{ n: number }>(
      "SELECT number_sync_standbys AS n FROM pgautofailover.formation WHERE formationid = 'default'",
    );
    if (settings?.n !== 1)
      await monitorSql("SELECT pgautofailover.set_formation_number_sync_standbys('default', 1)");
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/** The postmaster's pid, from the first line of postmaster.pid (null when it is not running). */
function readPostmasterPid(pgdata: string): number | null {
  try {
    return Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
  } catch {
    return null;
  }
}

/** Sends a signal to a pid (negative: a process group); "no such process" (already gone) is fine. */
function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** A process's command line ('' when it is gone). */
function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Every process below `root` (children, their children, …), from /proc. */
function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone while we looked.
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

function withBin(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${BIN}:${process.env.PATH ?? ''}` };
}

/** A TCP port nothing listens on now (PostgreSQL needs a port number before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
