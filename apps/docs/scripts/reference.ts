import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Application, Converter, type TypeDocOptions } from 'typedoc';
import type { PluginOptions } from 'typedoc-plugin-markdown';
import { openApiPages } from './openapi-markdown.js';
import { DOCS_DIR, REFERENCE_DIR, REPO_DIR } from './paths.js';

// Generates the two references into pages/reference/ (git-ignored) before each build:
// - sdk/: typedoc + typedoc-plugin-markdown over the declarations of every entry point @guildmint/sdk
//   publishes (its package.json `exports`), so the reference shows exactly what an npm user imports;
// - http/: the control plane's OpenAPI document (built from its operations, as the server does), as Markdown.

const SDK_DIR = resolve(REPO_DIR, 'packages/sdk');
const CONTROL_PLANE_DIR = resolve(REPO_DIR, 'apps/control-plane');

/** An `exports` entry: its declarations under `types` or under the `import` condition's `types`. */
interface ExportTarget {
  types?: string;
  import?: string | { types?: string };
}

/** `@guildmint/sdk`, `@guildmint/sdk/libsql`, … with the declaration file each resolves to. */
export function sdkEntryPoints(): Array<{ specifier: string; declarations: string }> {
  const manifest = JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, ExportTarget | string>;
  };
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    const types =
      typeof target === 'string'
        ? undefined
        : (target.types ?? (typeof target.import === 'string' ? undefined : target.import?.types));
    if (!types) return []; // ./package.json
    return [{ specifier: join(manifest.name, subpath), declarations: resolve(SDK_DIR, types) }];
  });
}

async function generateSdkReference(outDir: string): Promise<void> {
  const entries = sdkEntryPoints();
  const missing = entries.filter((entry) => !existsSync(entry.declarations));
  if (missing.length > 0) {
    throw new Error(
      `the SDK reference is made from the built declarations (${missing.map((m) => m.declarations).join(', ')} missing): run \`pnpm --filter @guildmint/sdk build\` first`,
    );
  }
  const options: Partial<TypeDocOptions & PluginOptions> = {
    entryPoints: entries.map((entry) => entry.declarations),
    plugin: ['typedoc-plugin-markdown'],
    tsconfig: join(DOCS_DIR, 'tsconfig.reference.json'),
    out: outDir,
    readme: 'none',
    name: '@guildmint/sdk',
    entryFileName: 'index',
    outputFileStrategy: 'modules',
    flattenOutputFiles: true,
    hidePageHeader: true,
    hideBreadcrumbs: true,
    // Tables rather than a heading and a code block per member: a third of the size, and quicker to build.
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    classPropertiesFormat: 'table',
    typeAliasPropertiesFormat: 'table',
    enumMembersFormat: 'table',
    propertyMembersFormat: 'table',
    typeDeclarationFormat: 'table',
    indexFormat: 'table',
    sanitizeComments: true,
    // Its links name anchors it writes itself, whatever the site's heading ids are.
    useHTMLAnchors: true,
    excludePrivate: true,
    excludeInternal: true,
    disableSources: true,
    validation: { notExported: false, invalidLink: false, unusedMergeModuleWith: false },
    logLevel: 'Warn',
  };
  const app = await Application.bootstrapWithPlugins(options);
  // Modules are named by what one imports (`@guildmint/sdk/libsql`), not by their declaration file.
  const names = new Map(entries.map((entry) => [basename(entry.declarations, '.d.ts'), entry.specifier]));
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.children ?? []) module.name = names.get(module.name) ?? module.name;
  });
  const project = await app.convert();
  if (!project) throw new Error('typedoc could not convert the SDK declarations');
  await app.generateOutputs(project);
}

/** The OpenAPI document, made by the control plane's own code (run with tsx from its folder). */
async function readOpenApiDocument(): Promise<Record<string, unknown>> {
  const tsx = createRequire(join(DOCS_DIR, 'package.json')).resolve('tsx/cli');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [tsx, join(DOCS_DIR, 'scripts/print-openapi.ts')],
    {
      cwd: CONTROL_PLANE_DIR,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function generateHttpReference(outDir: string): Promise<number> {
  const pages = openApiPages(await readOpenApiDocument());
  await mkdir(outDir, { recursive: true });
  for (const page of pages) await writeFile(join(outDir, page.file), page.markdown);
  return pages.length;
}

/** Writes pages/reference/{sdk,http}/ afresh. */
export async function generateReferences(dir = REFERENCE_DIR): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await Promise.all([generateSdkReference(join(dir, 'sdk')), generateHttpReference(join(dir, 'http'))]);
}
