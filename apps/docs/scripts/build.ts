import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vitepress';
import { DOCS_DIR, OUT_DIR } from './paths.js';
import { generateReferences } from './reference.js';

// `pnpm docs:build`: the references first (pages/reference/), then VitePress renders every page into dist/.
// Fails on a dead internal link, a page missing from the sidebar, or a reference that cannot be generated.

export interface BuildOptions {
  /** Where the site goes (default dist/). */
  outDir?: string;
  /** VitePress's scratch folders (default .vitepress/.temp and .vitepress/cache): a test uses its own. */
  workDir?: string;
}

export async function buildSite(o: BuildOptions = {}): Promise<{ outDir: string }> {
  const outDir = o.outDir ?? OUT_DIR;
  await generateReferences();
  await build(DOCS_DIR, {
    outDir,
    onAfterConfigResolve(config) {
      if (!o.workDir) return;
      config.tempDir = resolve(o.workDir, 'temp');
      config.cacheDir = resolve(o.workDir, 'cache');
    },
  });
  return { outDir };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // tsx scripts/build.ts [--out-dir <dir>] [--work-dir <dir>]
  const { values } = parseArgs({
    options: { 'out-dir': { type: 'string' }, 'work-dir': { type: 'string' } },
  });
  const started = Date.now();
  const { outDir } = await buildSite({
    ...(values['out-dir'] && { outDir: resolve(values['out-dir']) }),
    ...(values['work-dir'] && { workDir: resolve(values['work-dir']) }),
  });
  console.log(`built the docs into ${outDir} in ${Date.now() - started} ms`);
}
