import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The simulator is a test double: nothing published may depend on it at run time (ARCHITECTURE.md,
// "Simulators are development packages"). Checked on the manifests and on the runtime's built files.

const ROOT = new URL('../../../', import.meta.url).pathname;
const SIMULATOR = '@guildmint/discord-simulator';

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

function manifests(): Manifest[] {
  return ['packages', 'apps'].flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .map((name) => join(ROOT, folder, name, 'package.json'))
      .filter((file) => existsSync(file))
      .map((file) => JSON.parse(readFileSync(file, 'utf8')) as Manifest),
  );
}

describe('the simulator stays out of what is published', () => {
  it('is private, and no published package depends on it at run time', () => {
    const all = manifests();
    expect(all.find((m) => m.name === SIMULATOR)?.private).toBe(true);
    const published = all.filter((m) => m.private !== true);
    expect(published.map((m) => m.name)).toEqual(
      expect.arrayContaining(['@guildmint/sdk', '@guildmint/bot-runtime']),
    );
    for (const m of published) {
      const runtimeDeps = { ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies };
      expect(Object.keys(runtimeDeps), m.name).not.toContain(SIMULATOR);
      expect(Object.keys(runtimeDeps), m.name).not.toContain('@guildmint/dev');
    }
    const runtime = all.find((m) => m.name === '@guildmint/bot-runtime')!;
    expect(Object.keys(runtime.exports ?? {})).not.toContain('./simulator');
  });

  it("is not in the runtime's built files (no simulator code, no ws server)", () => {
    const dist = join(ROOT, 'packages/bot-runtime/dist');
    const files = readdirSync(dist).filter((f) => /\.(c?js|d\.c?ts)$/.test(f));
    expect(files.length, 'build the runtime first (pnpm build)').toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(dist, file), 'utf8');
      expect(text, file).not.toMatch(/discord-simulator|DiscordSimulator|WebSocketServer/);
    }
  });
});
