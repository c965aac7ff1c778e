import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * CPU time of the PostgreSQL backends connected to one database, read from /proc (same host only).
 * The backend list is refreshed in the background, since pools open connections as load grows.
 * Only client backends count: autovacuum workers and shared processes (WAL writer, checkpointer)
 * are left out, since their work comes and goes with other activity on the server.
 */
export class PostgresCpu {
  private readonly seen = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}

  /** undefined when the server is not on this machine (no /proc entry for its backends). */
  static async open(adminUrl: string, database: string): Promise<PostgresCpu | undefined> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    if (!existsSync(`/proc/${rows[0]!.pid}/stat`)) {
      await client.end();
      return undefined;
    }
    const monitor = new PostgresCpu(client, database);
    await monitor.refresh();
    monitor.timer = setInterval(() => void monitor.refresh().catch(() => {}), 250);
    return monitor;
  }

  /** Cumulative CPU milliseconds of every backend seen so far (a closed one keeps its last reading). */
  sample(): number {
    let total = 0;
    for (const [pid, last] of this.seen) {
      const now = readCpuMs(pid) ?? last;
      this.seen.set(pid, now);
      total += now;
    }
    return total;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.client.end();
  }

  private async refresh(): Promise<void> {
    const { rows } = await this.client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      [this.database],
    );
    for (const { pid } of rows) {
      if (!this.seen.has(pid)) this.seen.set(pid, readCpuMs(pid) ?? 0);
    }
  }
}

function readCpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name: state is field 3, utime 14, stime 15 (1-based).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}
