import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnBot } from './support/process.js';

const PACKAGE = new URL('../', import.meta.url);

describe('the production entry (src/cli.ts)', () => {
  it('refuses to start on a bad environment, listing every problem, with exit code 2', async () => {
    const bot = spawnBot({ DISCORD_APPLICATION_ID: 'nope' });
    const code = await bot.exited;
    expect(code).toBe(2);
    expect(bot.stderr()).toMatch(
      /invalid environment:\n- DISCORD_TOKEN: is required: the bot token from Discord's developer portal\n- DISCORD_APPLICATION_ID: must be a Discord id/,
    );
  });

  it('is what the installed `guildmint-bot` command runs (bin/ loads the built entry)', () => {
    const manifest = JSON.parse(readFileSync(new URL('package.json', PACKAGE), 'utf8')) as {
      bin: Record<string, string>;
    };
    const bin = manifest.bin['guildmint-bot']!;
    const run = spawnSync(process.execPath, [bin], {
      cwd: PACKAGE,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/invalid environment:\n- DISCORD_TOKEN: is required/);
  });
});
