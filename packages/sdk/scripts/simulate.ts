// pnpm simulate --preset classic --members 10000 --days 90 --seed 1
// Runs the agent-based economy simulation (src/simulation) and prints its trajectory; writes the
// result as JSON and a chart as SVG. Relative paths are taken from where pnpm was started (INIT_CWD).
import { randomInt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { defineEconomy, type EconomyConfig, type PresetName, presets } from '../src/index.js';
import { groupDigits, percent } from '../src/simulation/format.js';
import {
  presetInflationBands,
  renderChart,
  resultToJson,
  type SimulationResult,
  simulateEconomy,
  trajectoryTables,
} from '../src/simulation/index.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const START_DIR = process.env.INIT_CWD ?? process.cwd();
const PRESETS = Object.keys(presets) as PresetName[];

interface Options {
  preset?: PresetName;
  config?: string;
  members: number;
  days: number;
  seed?: number;
  out: string;
  name?: string;
  engine: 'memory' | 'ledger';
  storage?: string;
  concurrency?: number;
}

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

const program = new Command('simulate')
  .description('Simulate an economy with a seeded population of members and chart its money supply.')
  .addOption(new Option('--preset <name>', 'a built-in preset').choices(PRESETS).conflicts('config'))
  .option('--config <path>', 'an economy config as JSON (what defineEconomy accepts)')
  .option('--members <n>', 'population size', wholeNumber(1, 1_000_000), 1_000)
  .option('--days <n>', 'simulated days', wholeNumber(1, 3_650), 90)
  .option(
    '--seed <n>',
    'seed (default: a random one, printed so the run can be repeated)',
    wholeNumber(0, 2 ** 32 - 1),
  )
  .option('--out <dir>', 'where to write <name>.json and <name>.svg', join(REPO_ROOT, 'simulations'))
  .option('--name <name>', 'file name for the outputs (default: <preset>-<members>m-<days>d-seed<seed>)')
  .addOption(
    new Option(
      '--engine <engine>',
      'memory: the rules in memory (fast); ledger: a real store via the Tenant API',
    )
      .choices(['memory', 'ledger'])
      .default('memory'),
  )
  .option('--storage <url>', 'ledger engine: storage, :memory: (default) or a new file:<path> to keep')
  .option(
    '--concurrency <n>',
    'ledger engine: sessions in flight at once (default 256)',
    wholeNumber(1, 10_000),
  )
  .showHelpAfterError();

async function main(): Promise<void> {
  // `pnpm simulate -- --preset …` forwards a literal `--`, which would end option parsing here.
  const argv = process.argv.slice(2);
  program.parse(argv[0] === '--' ? argv.slice(1) : argv, { from: 'user' });
  const o = program.opts<Options>();
  const { label, config } = await loadConfig(o);
  const seed = o.seed ?? randomInt(2 ** 32);
  const name = o.name ?? `${label}-${o.members}m-${o.days}d-seed${seed}`;

  console.log(
    `Simulating ${config.name ?? label}: ${groupDigits(BigInt(o.members))} members × ${o.days} days, seed ${seed}`,
  );
  console.log(
    `  repeat with: pnpm simulate ${o.config ? `--config ${o.config}` : `--preset ${label}`} --members ${o.members} --days ${o.days} --seed ${seed}${o.engine === 'ledger' ? ' --engine ledger' : ''}\n`,
  );

  const bar = new cliProgress.SingleBar(
    {
      format:
        ' {bar} {percentage}% | day {value}/{total} | supply {supply} | gini {gini} | {duration_formatted} elapsed, ~{eta_formatted} left',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(o.days, 0, { supply: '0', gini: '0.000' });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let result: SimulationResult;
  try {
    result = await simulateEconomy({
      config,
      members: o.members,
      days: o.days,
      seed,
      engine: o.engine,
      ...(o.storage !== undefined && { storage: o.storage }),
      ...(o.concurrency !== undefined && { concurrency: o.concurrency }),
      onDay: (day) => bar.update(day.day, { supply: groupDigits(day.supply), gini: day.gini.toFixed(3) }),
    });
  } finally {
    bar.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const { weekly, monthly } = trajectoryTables(result);
  console.log(
    `\nWeek by week\n${weekly}\n\nMonth by month (inflation: supply growth over the month ÷ supply at its start)\n${monthly}\n`,
  );
  const band = o.preset ? presetInflationBands[o.preset] : undefined;
  if (band) {
    const checks = result.monthly
      .filter((m) => m.inflationBps !== null && m.days === 30)
      .map((m) => {
        const inside = m.inflationBps! >= band.minBps && m.inflationBps! <= band.maxBps;
        return `month ${m.month} ${percent(m.inflationBps!)} ${inside ? 'inside' : 'OUTSIDE'}`;
      });
    console.log(
      `Band of ${o.preset}: ${percent(band.minBps)} … ${percent(band.maxBps)} a month${checks.length ? `: ${checks.join(', ')}` : ''}`,
    );
  }
  const s = result.summary;
  console.log(
    [
      `Supply ${groupDigits(s.supply)} = minted ${groupDigits(s.minted)} − burned ${groupDigits(s.burned)} − house ${groupDigits(s.houseTake)}`,
      `Faucets: ${formatTotals(result.days.map((d) => d.faucets))}`,
      `Sinks: ${formatTotals(result.days.map((d) => d.sinks))}`,
      ...(Object.keys(result.days[0]?.games ?? {}).length > 0
        ? [`House take by game: ${formatTotals(result.days.map((d) => d.games))}`]
        : []),
      `Gini ${s.gini.toFixed(4)}, ${groupDigits(BigInt(s.meanActiveMembers))} members active a day on average`,
      `Outcomes: ${formatOutcomes(s.outcomes)}`,
      `Books verified (${o.engine} engine). ${groupDigits(BigInt(s.operations))} calls, ${groupDigits(BigInt(o.members * o.days))} member-days in ${seconds.toFixed(1)} s ` +
        `(CPU ${cpuSeconds.toFixed(1)} s): ${groupDigits(BigInt(Math.round((o.members * o.days) / seconds)))} member-days/s, ` +
        `${groupDigits(BigInt(Math.round(s.operations / seconds)))} calls/s, ${((cpuSeconds * 1e6) / s.operations).toFixed(1)} µs CPU per call`,
    ].join('\n'),
  );

  const outDir = resolve(START_DIR, o.out);
  await mkdir(outDir, { recursive: true });
  const jsonPath = join(outDir, `${name}.json`);
  const svgPath = join(outDir, `${name}.svg`);
  const inflation = result.monthly
    .filter((m) => m.inflationBps !== null)
    .map((m) => `month ${m.month}${m.days < 30 ? ` (${m.days} days)` : ''} ${percent(m.inflationBps!)}`)
    .join(', ');
  await writeFile(jsonPath, resultToJson(result));
  await writeFile(
    svgPath,
    renderChart(result, {
      title: `${config.name ?? label}: ${groupDigits(BigInt(o.members))} members, ${o.days} days, seed ${seed}`,
      subtitle: `Monthly inflation: ${inflation || 'needs more than 30 days'}. Final Gini ${s.gini.toFixed(3)}.`,
      unit: config.currency.name,
    }),
  );
  console.log(`Wrote ${shown(jsonPath)} and ${shown(svgPath)}`);
}

async function loadConfig(o: Options): Promise<{ label: string; config: EconomyConfig }> {
  if (o.config) {
    const path = resolve(START_DIR, o.config);
    const config = defineEconomy(JSON.parse(await readFile(path, 'utf8')));
    return { label: basename(path, extname(path)), config };
  }
  const preset = o.preset ?? 'classic';
  return { label: preset, config: presets[preset] };
}

/** Per-name totals over the run, largest first: "daily 1,234, work 567". */
function formatTotals(perDay: ReadonlyArray<Record<string, bigint>>): string {
  const totals = new Map<string, bigint>();
  for (const day of perDay)
    for (const [name, v] of Object.entries(day)) totals.set(name, (totals.get(name) ?? 0n) + v);
  if (totals.size === 0) return 'none';
  return [...totals]
    .sort(([, a], [, b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([name, v]) => `${name} ${groupDigits(v)}`)
    .join(', ');
}

/** A path as the user would type it: relative to where they are, unless that climbs out. */
function shown(path: string): string {
  const from = relative(START_DIR, path);
  return from.startsWith('..') ? path : from;
}

function formatOutcomes(outcomes: Record<string, Record<string, number>>): string {
  return Object.entries(outcomes)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([action, counts]) => {
      const parts = Object.entries(counts)
        .sort(([a], [b]) => (a === 'ok' ? -1 : b === 'ok' ? 1 : a < b ? -1 : 1))
        .map(([outcome, n]) => `${outcome} ${groupDigits(BigInt(n))}`);
      return `${action} (${parts.join(', ')})`;
    })
    .join('; ');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
