import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (µs) used so far by each PostgreSQL backend process (by pid) serving one database. */
export type BackendCpu = Map<string, number>;

/**
 * The CPU time of the PostgreSQL backends serving the database at `url` on this machine, read from /proc
 * (a loopback server); null for libSQL (its work runs in this process and is counted there) or when /proc
 * shows no such backend.
 */
export function backendCpu(url: string): BackendCpu | null {
  if (!/^postgres(ql)?:/.test(url)) return null;
  const database = new URL(url).pathname.slice(1);
  const cpu: BackendCpu = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!command.startsWith('postgres:') || !command.split(' ').includes(database)) continue;
      cpu.set(pid, processCpuUs(pid));
    } catch {
      // the process ended while being read
    }
  }
  return cpu.size ? cpu : null;
}

/**
 * CPU (µs) the backends used between two readings: per backend alive at the second, what it added since the
 * first (all of it when it started in between). A backend that exited in between is not counted.
 */
export function backendCpuSpent(before: BackendCpu, after: BackendCpu): number {
  let spent = 0;
  for (const [pid, cpu] of after) spent += cpu - (before.get(pid) ?? 0);
  return spent;
}

/** The CPU time (µs, user + system) a process has used so far, from /proc; throws once it has ended. */
export function processCpuUs(pid: number | string): number {
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in ticks of
  // 1/USER_HZ s (100 on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100);
}
