/**
 * The write path's planning alone (`planGroup` on a group read into memory, no database), with and
 * without the analytics rollups: what they cost the CPU of every group before a store writes it.
 *
 *   pnpm bench:plan [-- --rounds 4 --groups 2000 --group 64 --users 10000 --workloads uniform,hot]
 *
 * Each round runs `--rollups on` and `--rollups off` in child processes, alternated (A B A B), since the
 * switch is read once per process. Prints µs of CPU per transfer and writes bench/results/plan-<time>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type GroupState, planGroup } from '../src/ledger/plan.js';
import { type LedgerOp, scopedKey } from '../src/ledger/records.js';
import { collectGroupKeys, emptyGroupState } from '../src/stores/write-path/group-keys.js';
import { FUNDING, moveGenerator, WORKLOADS, type Workload } from './harness.js';
import { describeMachine, machine } from './report.js';

const TENANT = 'bench';
const TIME_ZONE = 'Asia/Kolkata';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    rounds: { type: 'string', default: '4' },
    groups: { type: 'string', default: '2000' },
    group: { type: 'string', default: '64' },
    users: { type: 'string', default: '10000' },
    workloads: { type: 'string', default: WORKLOADS.join(',') },
    /** Set by the parent on each child: one measurement, printed as JSON. */
    rollups: { type: 'string' },
    workload: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('../../../bench/results', import.meta.url)) },
  },
});
const groups = Number(args.groups);
const groupSize = Number(args.group);
const users = Number(args.users);

/**
 * A group's state as a store would read it: every member funded and active an hour ago, without a bank (so,
 * as in the stores, no bank row is read).
 */
function readState(ops: readonly LedgerOp[], now: Date): GroupState {
  const keys = collectGroupKeys(ops, false);
  const state = emptyGroupState(keys);
  const earlier = new Date(now.getTime() - 3_600_000);
  for (const { tenant, value } of keys.users) {
    state.accounts.set(scopedKey(tenant, value), { balance: FUNDING, frozen: false });
    state.activeAt.set(scopedKey(tenant, value), earlier);
  }
  return state;
}

/** µs of CPU per transfer, planning `groups` groups of `groupSize` transfers in this process. */
function measure(workload: Workload): number {
  const next = moveGenerator(workload, users);
  let id = 0;
  const group = (): LedgerOp[] =>
    Array.from({ length: groupSize }, () => {
      const move = next();
      return {
        tenant: TENANT,
        batchId: null,
        timeZone: TIME_ZONE,
        transfers: [{ ...move, id: `t${id++}`, metadata: null, reverses: null, forced: false }],
      };
    });
  const inputs = Array.from({ length: groups }, group);
  const now = new Date('2026-12-06T04:20:00Z');
  const states = inputs.map((ops) => readState(ops, now));
  // Warm-up on copies, so the measured loop plans each group once, as a store does.
  for (let i = 0; i < Math.min(200, groups); i++) planGroup(inputs[i]!, readState(inputs[i]!, now), now);
  const start = process.cpuUsage();
  for (let i = 0; i < groups; i++) planGroup(inputs[i]!, states[i]!, now);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (groups * groupSize);
}

if (args.workload !== undefined) {
  if (args.rollups === 'off') process.env.GUILDMINT_BENCH_ROLLUPS = 'off';
  console.log(JSON.stringify(measure(args.workload as Workload)));
} else {
  const self = fileURLToPath(import.meta.url);
  const rows: Array<{ workload: string; on: number[]; off: number[] }> = [];
  console.log(describeMachine(machine()));
  for (const workload of args.workloads.split(',')) {
    const row = { workload, on: [] as number[], off: [] as number[] };
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const rollups of ['on', 'off'] as const) {
        const childArgs = ['--import', 'tsx', self, '--workload', workload, '--rollups', rollups];
        const sizes = ['--groups', String(groups), '--group', String(groupSize), '--users', String(users)];
        const out = execFileSync(process.execPath, [...childArgs, ...sizes], { encoding: 'utf8' });
        row[rollups].push(Number(out.trim()));
      }
    }
    rows.push(row);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `plan only, ${groupSize}-transfer groups, ${users} users, zone ${TIME_ZONE}; load ${loadavg()[0]}`,
  );
  console.log('workload  | CPU µs/transfer on | off  | change');
  for (const r of rows) {
    const on = median(r.on);
    const off = median(r.off);
    console.log(
      `${r.workload.padEnd(9)} | ${on.toFixed(1).padStart(18)} | ${off.toFixed(1).padStart(4)} | +${(((on - off) / off) * 100).toFixed(0)} %`,
    );
  }
  mkdirSync(args.out, { recursive: true });
  const file = join(args.out, `plan-${new Date().toISOString().replace(/:/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ machine: machine(), groupSize, users, timeZone: TIME_ZONE, rows }, null, 2)}\n`,
  );
  console.log(`wrote ${file}`);
}
