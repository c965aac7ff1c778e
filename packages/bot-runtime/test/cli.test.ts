import { describe, expect, it } from 'vitest';
import { spawnBot } from './support/process.js';

describe('the production entry (src/cli.ts)', () => {
  it('refuses to start on a bad environment, listing every problem, with exit code 2', async () => {
    const bot = spawnBot({ DISCORD_APPLICATION_ID: 'nope' });
    const code = await bot.exited;
    expect(code).toBe(2);
    expect(bot.stderr()).toMatch(
      /invalid environment:\n- DISCORD_TOKEN: is required: the bot token from Discord's developer portal\n- DISCORD_APPLICATION_ID: must be a Discord id/,
    );
  });
});
