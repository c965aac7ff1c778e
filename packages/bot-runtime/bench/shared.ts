/**
 * The SDK benchmark's modules (packages/sdk/bench), reused here rather than copied. They live outside this
 * package's tsconfig rootDir, so they are imported at run time (tsx runs them) and typed by the narrow
 * interfaces below, which state exactly what this benchmark uses of them.
 */

export interface Machine {
  cpus: number;
  model: string;
  node: string;
  platform: string;
  memoryGiB: number;
  loadAvgAtStart: number[];
}

interface Harness {
  /** Nearest-rank percentile of an ascending array (0 when empty). */
  percentile(sorted: Float64Array, q: number): number;
}

interface Report {
  machine(): Machine;
  describeMachine(m: Machine): string;
}

export interface PostgresCpuMonitor {
  /** Cumulative CPU ms of the client backends connected to the database. */
  sample(): number;
  close(): Promise<void>;
}

interface ServerCpu {
  PostgresCpu: { open(adminUrl: string, database: string): Promise<PostgresCpuMonitor | undefined> };
}

interface Common {
  recreateDatabase(adminUrl: string, name: string): Promise<string>;
  dropDatabase(adminUrl: string, name: string): Promise<void>;
  analyzeDatabase(url: string): Promise<void>;
  writeJson(dir: string, name: string, data: unknown): string;
  pool(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void>;
  list(value: string): string[];
  positive(value: string, name: string): number;
  nonNegative(value: string, name: string): number;
  oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T;
  cliArgs(): string[];
  round(n: number, digits?: number): number;
  table(headers: readonly string[], rows: readonly string[][], numeric: (i: number) => boolean): string;
  whole(n: number): string;
  ms(n: number): string;
}

const sdkBench = new URL('../../sdk/bench/', import.meta.url);
const load = <T>(file: string): Promise<T> => import(new URL(file, sdkBench).href) as Promise<T>;

export const [harness, report, serverCpu, common] = await Promise.all([
  load<Harness>('harness.ts'),
  load<Report>('report.ts'),
  load<ServerCpu>('server-cpu.ts'),
  load<Common>('common.ts'),
]);
