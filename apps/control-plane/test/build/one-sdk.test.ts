import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR, ensureBuilt } from '../support/app-server';

/**
 * One SDK in the app. Every copy of @guildmint/sdk carries the brand of its errors; a production build
 * that bundles the SDK into its server chunks has one copy per layer (route handlers, server
 * components), each with its own classes, so an error made by one fails the other's class checks.
 * server/sdk.ts has Node load the SDK instead: the build output must hold no copy of it.
 */

const MARKER = '@guildmint/sdk/GuildmintError';

function jsFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFilesUnder(path);
    return path.endsWith('.js') ? [path] : [];
  });
}

describe('the production build', () => {
  it('bundles no copy of the SDK into the server output: Node loads the one copy', async () => {
    const buildMs = await ensureBuilt();
    console.log(`one-sdk: next build ${buildMs ? `${(buildMs / 1000).toFixed(1)} s` : 'reused'}`);
    const server = join(APP_DIR, '.next', 'server');
    const copies = jsFilesUnder(server)
      .filter((file) => readFileSync(file, 'utf8').includes(MARKER))
      .map((file) => relative(server, file));
    expect(copies).toEqual([]);
  }, 600_000);
});
