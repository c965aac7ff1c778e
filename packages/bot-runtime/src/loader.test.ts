import { readdirSync } from 'node:fs';
import { defineEconomy, presets } from '@guildmint/sdk';
import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { commandModules } from './commands/index.js';
import { CommandLoadError, loadCommands } from './loader.js';

const good: Command = {
  name: 'ping',
  define: () => [{ name: 'ping', description: 'Pong' }],
  run: async () => ({ embeds: [] }),
};

function loadProblems(modules: Record<string, unknown>): string[] {
  try {
    loadCommands(modules);
  } catch (error) {
    if (error instanceof CommandLoadError) return error.problems;
    throw error;
  }
  return [];
}

describe('command loader', () => {
  it('lists every command file of src/commands in the barrel', () => {
    const files = readdirSync(new URL('./commands/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(commandModules).sort()).toEqual(files);
  });

  it('loads the built-in commands, and the classic preset offers the whole set', () => {
    const set = loadCommands(commandModules);
    const names = set.table({ ...presets.classic, version: 0 }).definitions.map((d) => d.name);
    expect(names).toEqual([
      'balance',
      'deposit',
      'withdraw',
      'pay',
      'shop',
      'buy',
      'inventory',
      'use',
      'gift',
      'sell',
      'profile',
      'coinflip',
      'dice',
      'slots',
      'roulette',
      'blackjack',
      'streak',
      'leaderboard',
      'fair',
      'eco',
      'daily',
      'work',
    ]);
  });

  it('offers only what a config enables', () => {
    const set = loadCommands(commandModules);
    const cozy = set.table({ ...presets.cozy, version: 0 }).definitions.map((d) => d.name);
    expect(cozy).not.toContain('coinflip');
    expect(cozy).not.toContain('fair');
    // Robbery and role income are off in every preset but casino (robbery).
    expect(cozy).not.toContain('rob');
    expect(cozy).not.toContain('collect');
    expect(set.table({ ...presets.casino, version: 0 }).definitions.map((d) => d.name)).toContain('rob');
    expect(cozy).toContain('chat');

    const config = defineEconomy({
      faucets: {
        daily: { reward: { fixed: 10 } },
        weekly: { reward: { fixed: 10 }, enabled: false },
        pay: { reward: { fixed: 1 } },
      },
      games: { dice: { enabled: false }, coinflip: {} },
    });
    const table = set.table({ ...config, version: 3 });
    const names = table.definitions.map((d) => d.name);
    expect(names).toContain('daily');
    expect(names).not.toContain('weekly');
    expect(names).not.toContain('dice');
    expect(names).not.toContain('shop');
    expect(names).toContain('coinflip');
    // A faucet named like a built-in command does not take its place.
    expect(table.shadowed).toEqual(['pay']);
    expect(table.byName.get('pay')?.name).toBe('pay');
  });

  it('takes amounts as text when the currency has decimals, as whole numbers otherwise', () => {
    const set = loadCommands(commandModules);
    const amountType = (decimals: number) => {
      const config = defineEconomy({ currency: { decimals } });
      const pay = set.table({ ...config, version: 1 }).definitions.find((d) => d.name === 'pay');
      const options = (pay?.options ?? []) as Array<{ name: string; type: number }>;
      return options.find((o) => o.name === 'amount')?.type;
    };
    expect(amountType(0)).toBe(4);
    expect(amountType(2)).toBe(3);
  });

  it('admin commands are hidden from members without Manage Server by default', () => {
    const set = loadCommands(commandModules);
    const eco = set.table({ ...presets.classic, version: 0 }).definitions.find((d) => d.name === 'eco');
    expect(eco?.default_member_permissions).toBe('32');
  });

  it('fails fast, naming the file, on a bad default export', () => {
    expect(loadProblems({ ping: good })).toEqual([]);
    expect(loadProblems({ broken: { name: 'broken', define: () => [] } })).toEqual([
      'broken: run: must be a function',
    ]);
    expect(loadProblems({ nothing: undefined })[0]).toMatch(/^nothing: export:/);
    expect(loadProblems({ caps: { ...good, name: 'Ping' } })[0]).toMatch(
      /^caps: name: must be 1-32 characters/,
    );
    expect(loadProblems({ a: good, b: good })).toEqual(['b: the name "ping" is already used by a']);
    const withButtons = (name: string) => ({ ...good, name, buttons: { prefix: 'x', run: good.run } });
    expect(loadProblems({ a: withButtons('a'), b: withButtons('b') })).toEqual([
      'b: the button prefix "x" is already used by a',
    ]);
  });

  it('fails fast on definitions Discord would refuse', () => {
    const long = { ...good, define: () => [{ name: 'ping', description: 'x'.repeat(101) }] };
    expect(loadProblems({ long })[0]).toMatch(/description: must be at most 100 characters/);
    const order = {
      ...good,
      define: () => [
        {
          name: 'ping',
          description: 'Pong',
          options: [
            { type: 3, name: 'a', description: 'a', required: false },
            { type: 3, name: 'b', description: 'b', required: true },
          ],
        },
      ],
    };
    expect(loadProblems({ order })[0]).toMatch(/required options must come before optional ones/);
    expect(loadProblems({ a: good, b: { ...good, name: 'other' } })).toEqual([
      'with the classic preset: /ping defined twice',
      'with the casino preset: /ping defined twice',
      'with the cozy preset: /ping defined twice',
    ]);
  });

  it('refuses a set beyond Discord’s limits, unless this process already checked it', () => {
    const crowd: Command = {
      ...good,
      name: 'crowd',
      define: (config) =>
        config.name === 'Crowded'
          ? Array.from({ length: 101 }, (_, i) => ({ name: `crowd${i}`, description: `Crowd ${i}` }))
          : [],
    };
    const set = loadCommands({ ...commandModules, crowd });
    const crowded = { ...defineEconomy({ ...presets.classic, name: 'Crowded' }), version: 1 };
    expect(() => set.table(crowded)).toThrow(/at most 100 slash commands/);
    // `checked`: the caller vouches for the set (its commands were registered), so only the table is built.
    const { definitions, byName } = set.table(crowded, { checked: true });
    expect(definitions.filter((d) => d.name.startsWith('crowd'))).toHaveLength(101);
    expect(byName.get('crowd7')).toBe(crowd);
  });

  it('offers the largest config the SDK accepts within Discord’s limits', () => {
    // The SDK allows 70 enabled faucets (each a command); the built-in commands must fit in the other 30.
    const set = loadCommands(commandModules);
    const faucet = (i: number) => [
      `f${String(i).padStart(2, '0')}${'x'.repeat(29)}`,
      { reward: { fixed: 1 }, description: 'd'.repeat(200) },
    ];
    const items = Array.from({ length: 30 }, (_, i) => [
      `item${i}`,
      { name: `${i}`.padEnd(64, 'n'), price: 1, consumable: true, description: 'd'.repeat(200) },
    ]);
    const config = defineEconomy({
      ...presets.classic,
      faucets: Object.fromEntries(Array.from({ length: 70 }, (_, i) => faucet(i))),
      shop: { ...presets.classic.shop, items: Object.fromEntries(items) },
      // Every member feature on: each adds commands of its own.
      robbery: { enabled: true },
      roleIncome: { enabled: true, roles: [{ roleId: '1', amount: 1 }] },
    });
    const { definitions } = set.table({ ...config, version: 1 });
    expect(definitions.length).toBeLessThanOrEqual(100);
    expect(definitions.filter((d) => /^f\d\dx/.test(d.name))).toHaveLength(70);
    expect(() =>
      defineEconomy({ ...config, faucets: { ...config.faucets, one_more: { reward: { fixed: 1 } } } }),
    ).toThrow(/at most 70 enabled faucets/);
  });
});
