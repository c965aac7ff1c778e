import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES_DIR } from '../scripts/paths.js';

// Every ```ts run``` block of every page is a program: it is written to a file inside apps/docs (so
// `@guildmint/sdk` resolves through the workspace link to the built package), type-checked, stripped of
// its types by esbuild (tsx would do it on every start: two thirds of each run's CPU) and run with Node.
// It must exit 0 and print something. A ```text output``` block right after it (blank lines
// between at most) is what it prints: the run's output must be exactly that (trailing spaces aside).

const DOCS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK_DIR = join(DOCS_DIR, '.examples', `run-${process.pid}`);
const SDK_ENTRY = resolve(DOCS_DIR, '../../packages/sdk/dist/index.js');
/** Each example must finish within this (it takes 1–3 s alone). */
const RUN_TIMEOUT_MS = 60_000;
/** Examples run side by side, but no more at once than there are cores (and at least two). */
const PARALLEL = Math.max(2, availableParallelism());
const requireHere = createRequire(join(DOCS_DIR, 'package.json'));
const TSC = requireHere.resolve('typescript/bin/tsc');

interface Example {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** File name inside the work dir (`.ts`; the program run is the same name with `.mjs`). */
  file: string;
  /** The ```text output``` block that follows it, if any. */
  output?: string;
}

/** The lines of the fenced block opening at `start`, and the index of its closing fence. */
function fencedBody(
  page: string,
  lines: string[],
  start: number,
  fence: string,
): { body: string[]; end: number } {
  const body: string[] = [];
  let i = start + 1;
  for (; i < lines.length && !lines[i]!.startsWith(fence); i++) body.push(lines[i]!);
  if (i >= lines.length) throw new Error(`${page}:${start + 1}: unclosed code fence`);
  return { body, end: i };
}

/** Lines without trailing spaces, without leading or trailing blank lines. */
const normalize = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();

/** The ```ts run``` blocks of one Markdown page, with where they start. */
function extractRunnable(page: string, markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*ts\s+run\s*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const start = i;
    const { body, end } = fencedBody(page, lines, start, fence);
    i = end;
    let next = i + 1;
    while (next < lines.length && lines[next]!.trim() === '') next++;
    const outputOpen = /^(`{3,})\s*text\s+output\s*$/.exec(lines[next] ?? '');
    const output = outputOpen ? fencedBody(page, lines, next, outputOpen[1]!) : undefined;
    if (output) i = output.end;
    examples.push({
      page,
      line: start + 1,
      code: `${body.join('\n')}\n`,
      file: `${page.replace(/\.md$/, '')}-L${start + 1}.ts`,
      ...(output && { output: output.body.join('\n') }),
    });
  }
  return examples;
}

const pages = readdirSync(PAGES_DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();
const byPage = new Map(
  pages.map((page) => [page, extractRunnable(page, readFileSync(join(PAGES_DIR, page), 'utf8'))]),
);
const examples = [...byPage.values()].flat();

/** The runnable program made from an example: its TypeScript with the types stripped. */
const programOf = (example: Example) => example.file.replace(/\.ts$/, '.mjs');

let running = 0;
const waiting: Array<() => void> = [];
async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  // A finished example hands its slot straight to the next one waiting.
  if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function run(
  file: string,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [file], {
      cwd: WORK_DIR,
      env: { ...process.env, NODE_ENV: 'test', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: RUN_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

beforeAll(() => {
  if (!existsSync(SDK_ENTRY)) {
    throw new Error('the examples import the built SDK: run `pnpm --filter @guildmint/sdk build` first');
  }
  mkdirSync(WORK_DIR, { recursive: true });
  for (const example of examples) {
    const banner = `// ${example.page}:${example.line} (generated by apps/docs/test/examples.test.ts)\n`;
    writeFileSync(join(WORK_DIR, example.file), banner + example.code);
    const { code } = transformSync(banner + example.code, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: `${example.page}:${example.line}`,
    });
    writeFileSync(join(WORK_DIR, programOf(example)), code);
  }
});

afterAll(() => {
  rmSync(WORK_DIR, { recursive: true, force: true });
  try {
    rmdirSync(dirname(WORK_DIR)); // only when no other run is using it
  } catch {}
});

describe('docs pages', () => {
  it('exist', () => {
    expect(pages.length).toBeGreaterThan(0);
  });

  // A page's code either runs here or is included from a program of examples/ that its own test runs.
  it.each(pages)('%s has at least one runnable example (or includes one from examples/)', (page) => {
    const markdown = readFileSync(join(PAGES_DIR, page), 'utf8');
    const included = [...markdown.matchAll(/^<<< @\/\.\.\/\.\.\/\.\.\/(examples\/[^\s{#]+)/gm)].map(
      (m) => m[1]!,
    );
    for (const file of included) expect(existsSync(resolve(DOCS_DIR, '../..', file)), file).toBe(true);
    expect((byPage.get(page)?.length ?? 0) + included.length).toBeGreaterThan(0);
  });
});

describe('runnable examples', () => {
  it.each(examples.map((e) => [`${e.page}:${e.line}`, e] as const))(
    '%s uses only @guildmint/sdk and its subpaths (node: built-ins, standardwebhooks) on :memory:',
    (_name, example) => {
      const imports = [
        ...example.code.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/g),
      ].map((m) => m[1] ?? m[2]);
      // standardwebhooks: the official receiver library, which the webhooks page shows verifying our signatures.
      for (const source of imports)
        expect(source).toMatch(/^(@guildmint\/sdk(\/[a-z]+)?|node:[a-z/_]+|standardwebhooks)$/);
      expect(example.code).toMatch(/console\.(log|table|dir)\(/);
      const storages = [...example.code.matchAll(/storage:\s*([^,}\n]+)/g)].map((m) => m[1]!.trim());
      if (/\bcreateEconomy\(/.test(example.code)) expect(storages.length).toBeGreaterThan(0);
      for (const storage of storages) expect(storage).toBe("':memory:'");
    },
  );

  it('type-check (strict)', async () => {
    const tsconfig = {
      extends: resolve(DOCS_DIR, '../../tsconfig.base.json'),
      compilerOptions: { noEmit: true, types: ['node'], declaration: false, sourceMap: false },
      include: ['*.ts'],
    };
    writeFileSync(join(WORK_DIR, 'tsconfig.json'), JSON.stringify(tsconfig));
    const result = await new Promise<{ code: number | null; out: string }>((done, fail) => {
      const child = spawn(process.execPath, [TSC, '-p', join(WORK_DIR, 'tsconfig.json')], {
        cwd: WORK_DIR,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      });
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
      });
      child.stderr.on('data', (c) => {
        out += c;
      });
      child.on('error', fail);
      child.on('close', (code) => done({ code, out }));
    });
    expect(result.out, result.out).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it.concurrent.each(examples.map((e) => [`${e.page}:${e.line}`, e] as const))(
    '%s runs and prints',
    async (_name, example) => {
      const result = await withSlot(() => run(join(WORK_DIR, programOf(example))));
      const report = `${example.page}:${example.line} exited ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
      expect(result.code, report).toBe(0);
      expect(result.stdout.trim().length, report).toBeGreaterThan(0);
      if (example.output !== undefined)
        expect(normalize(result.stdout), report).toBe(normalize(example.output));
    },
    // Waiting for a slot counts too: room for every example to run one after the other.
    RUN_TIMEOUT_MS * 2 + examples.length * 5_000,
  );
});
