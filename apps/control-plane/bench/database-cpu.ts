import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (µs) used so far by the PostgreSQL backends serving the database at `url` on this machine, read
 * from /proc (a loopback server); null for libSQL (its work runs in this process and is counted there) or
 * when /proc shows no such backend. Backends that exit between two readings are not counted.
 */
export function databaseCpuUs(url: string): number | null {
  if (!/^postgres(ql)?:/.test(url)) return null;
  const database = new URL(url).pathname.slice(1);
  const ticksToUs = 1e6 / 100; // USER_HZ is 100 on Linux
  let total = 0;
  let found = false;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!command.startsWith('postgres:') || !command.split(' ').includes(database)) continue;
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total += (Number(fields[11]) + Number(fields[12])) * ticksToUs;
      found = true;
    } catch {
      // the process ended while being read
    }
  }
  return found ? total : null;
}
