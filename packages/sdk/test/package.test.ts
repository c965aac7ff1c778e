// The published package, as a user gets it: `pnpm pack`, then `npm install <tarball>` in an empty
// folder outside the workspace, then ESM, CJS, subpaths, a real transfer and the type declarations.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT, LOADED_DRIVERS, run, tsc, usePackedSdk } from './support/packed.js';

/**
 * Consumer programs type-checked against the packed package: all of them in one compiler run per module mode
 * (a run costs seconds of CPU, most of it reading the libraries' declarations); each test asserts its own
 * files. `@ts-expect-error` lines are checks too: an expected error that does not come is an error.
 */
const CONSUMERS: Record<string, string> = {
  'root.mts': `import { createEconomy, ErrorCode, GuildmintError, isGuildmintError, type Economy, type Transfer, type TransferPage } from '@guildmint/sdk';
import { LibsqlStore } from '@guildmint/sdk/libsql';
const economy: Economy = createEconomy({ storage: new LibsqlStore({ url: ':memory:' }) });
const sent: Transfer = await economy.tenant('g').ledger.transfer({ from: 'faucet:a', to: 'user:1', amount: 1n, code: 'x' });
const page: TransferPage = await economy.tenant('g').ledger.transfers({ limit: 10 });
const balance: bigint = await economy.tenant('g').ledger.balance('user:1');
const error = new GuildmintError(ErrorCode.NOT_FOUND, 'missing');
const known: boolean = isGuildmintError(error, ErrorCode.NOT_FOUND);
// @ts-expect-error amounts are bigint, never number
await economy.tenant('g').ledger.transfer({ from: 'faucet:a', to: 'user:1', amount: 1, code: 'x' });
export { sent, page, balance, known };
`,
  'root.cts': `import sdk = require('@guildmint/sdk');
import libsql = require('@guildmint/sdk/libsql');
const economy: sdk.Economy = sdk.createEconomy({ storage: new libsql.LibsqlStore({ url: ':memory:' }) });
const code: sdk.ErrorCode = sdk.ErrorCode.INSUFFICIENT_FUNDS;
export = { economy, code };
`,
  'mistakes.mts': `import { checkRound, createEconomy, ErrorCode, isGameName, isGuildmintError, type EconomyConfigInput, type GameConfigs, type GameOutcomes, type Json, type RoundMismatch } from '@guildmint/sdk';
const tenant = createEconomy({ storage: ':memory:' }).tenant('g');
const dice = await tenant.play('dice', '1', { bet: 10n, target: 50, direction: 'over', key: 'k1' });
const roll: number = dice.outcome.roll;
const payout: bigint = dice.payout;
const shown: GameOutcomes['dice']['payout'] = dice.outcome.payout;
const round = await tenant.round(dice.roundId);
const pocket: number | null = round.game === 'roulette' ? round.outcome.number : null;
const name: string = 'coinflip';
if (isGameName(name)) await tenant.play(name, '1', { bet: 10n });
// @ts-expect-error a coin has two sides
await tenant.play('coinflip', '1', { bet: 10n, side: 'edge' });
// @ts-expect-error no such game
await tenant.play('poker', '1', { bet: 10n });
// @ts-expect-error a typo in a choice
await tenant.play('dice', '1', { bet: 10n, traget: 50, direction: 'over' });
// @ts-expect-error no such action
await tenant.act(dice.roundId, 'hti', { userId: '1' });
// @ts-expect-error bets are bigint
await tenant.play('slots', '1', { bet: 10 });
// @ts-expect-error roll is only on a dice outcome
const notNarrowed = round.outcome.roll;
let retryAt: Date | undefined;
try {
  await tenant.claim('daily', '1');
} catch (error) {
  if (isGuildmintError(error, ErrorCode.COOLDOWN)) retryAt = error.retryAt;
  // @ts-expect-error only COOLDOWN and RATE_LIMITED carry retryAt
  else if (isGuildmintError(error, ErrorCode.NOT_FOUND)) retryAt = error.retryAt;
}
const input: EconomyConfigInput = { faucets: { daily: { reward: { fixed: 100 }, cooldownSeconds: 86400 } } };
const { version } = await tenant.configure(input);
const check = checkRound(dice, 'seed');
const reason: RoundMismatch | null = check.verified ? null : check.reason;
const edge: GameConfigs['dice']['houseEdgeBps'] = 100;
const record: Json = dice.outcome;
export { roll, payout, shown, pocket, notNarrowed, retryAt, version, reason, edge, record };
`,
  'postgres.mts': `import { PostgresStore, type PostgresStoreOptions } from '@guildmint/sdk/postgres';
const options: PostgresStoreOptions = { url: 'postgres://postgres@127.0.0.1:5432/test', poolSize: 4 };
export const store = new PostgresStore(options);
`,
  'postgres.cts': `import postgres = require('@guildmint/sdk/postgres');
export = new postgres.PostgresStore({ url: 'postgres://postgres@127.0.0.1:5432/test' });
`,
};

const packed = usePackedSdk();
const runScript = (file: string, source: string, folder?: string) => packed.runScript(file, source, folder);

describe('the packed @guildmint/sdk', () => {
  it('holds dist/ and README.md, and no sources or tests', () => {
    for (const file of [...BUILT, 'README.md', 'package.json'])
      expect(packed.entries).toContain(`package/${file}`);
    const unwanted = packed.entries.filter((entry) =>
      /^package\/(src|test|bench|scripts|drizzle)\//.test(entry),
    );
    expect(unwanted).toEqual([]);
    expect(
      packed.entries.some((entry) => entry.endsWith('.test.ts') || entry.endsWith('tsconfig.json')),
    ).toBe(false);
    // pnpm pack must have replaced any workspace: protocol with real versions.
    expect(packed.manifest).not.toContain('workspace:');
  });

  it('imports as ESM, with its subpaths', async () => {
    const out = await runScript(
      'exports.mjs',
      `import * as sdk from '@guildmint/sdk';
import { LibsqlStore } from '@guildmint/sdk/libsql';
import { PostgresStore } from '@guildmint/sdk/postgres';
import { simulateEconomy } from '@guildmint/sdk/simulation';
console.log(JSON.stringify({
  createEconomy: typeof sdk.createEconomy,
  GuildmintError: typeof sdk.GuildmintError,
  ErrorCode: sdk.ErrorCode,
  LibsqlStore: typeof LibsqlStore,
  PostgresStore: typeof PostgresStore,
  simulateEconomy: typeof simulateEconomy,
  resolved: [import.meta.resolve('@guildmint/sdk'), import.meta.resolve('@guildmint/sdk/libsql'), import.meta.resolve('@guildmint/sdk/postgres')],
}));
`,
    );
    expectExports(out);
    expect(out.resolved).toEqual([
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/index\.js$/),
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/libsql\.js$/),
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/postgres\.js$/),
    ]);
  });

  it('requires as CJS, with its subpaths', async () => {
    const out = await runScript(
      'exports.cjs',
      `const sdk = require('@guildmint/sdk');
const { LibsqlStore } = require('@guildmint/sdk/libsql');
const { PostgresStore } = require('@guildmint/sdk/postgres');
const { simulateEconomy } = require('@guildmint/sdk/simulation');
console.log(JSON.stringify({
  createEconomy: typeof sdk.createEconomy,
  GuildmintError: typeof sdk.GuildmintError,
  ErrorCode: sdk.ErrorCode,
  LibsqlStore: typeof LibsqlStore,
  PostgresStore: typeof PostgresStore,
  simulateEconomy: typeof simulateEconomy,
  resolved: [require.resolve('@guildmint/sdk'), require.resolve('@guildmint/sdk/libsql'), require.resolve('@guildmint/sdk/postgres')],
}));
`,
    );
    expectExports(out);
    expect(out.resolved).toEqual([
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/index\.cjs$/),
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/libsql\.cjs$/),
      expect.stringMatching(/node_modules\/@guildmint\/sdk\/dist\/postgres\.cjs$/),
    ]);
  });

  it.each([
    ['ESM', 'ledger.mjs', `import { createEconomy, GuildmintError } from '@guildmint/sdk';`],
    ['CJS', 'ledger.cjs', `const { createEconomy, GuildmintError } = require('@guildmint/sdk');`],
  ])('moves money on :memory: (%s)', async (_format, file, load) => {
    const out = await runScript(
      file,
      `${load}
(async () => {
  const economy = createEconomy({ storage: ':memory:' });
  const ledger = economy.tenant('guild-1').ledger;
  await ledger.transfer({ id: 'daily-1', from: 'faucet:daily', to: 'user:alice', amount: 100n, code: 'faucet.daily' });
  await ledger.transfer({ from: 'user:alice', to: 'user:bob', amount: 30n, code: 'transfer.p2p' });
  let overdraft = 'none';
  try {
    await ledger.transfer({ from: 'user:bob', to: 'user:alice', amount: 31n, code: 'transfer.p2p' });
  } catch (error) {
    overdraft = (error instanceof GuildmintError ? 'GuildmintError:' : 'other:') + error.code;
  }
  const result = {
    alice: String(await ledger.balance('user:alice')),
    bob: String(await ledger.balance('user:bob')),
    faucet: String(await ledger.balance('faucet:daily')),
    overdraft,
    verify: await ledger.verify(),
  };
  await economy.close();
  console.log(JSON.stringify(result));
})().catch((error) => { console.error(error); process.exit(1); });
`,
    );
    expect(out).toEqual({
      alice: '70',
      bob: '30',
      faucet: '-100',
      overdraft: 'GuildmintError:INSUFFICIENT_FUNDS',
      verify: { ok: true, problems: [] },
    });
  });

  const formats = [
    ['ESM', 'mjs', `import * as sdk from '@guildmint/sdk';`],
    ['CJS', 'cjs', `const sdk = require('@guildmint/sdk');`],
  ] as const;

  it.each(formats)(
    'loads no driver, Redis client or rate limiter until a call needs one (%s)',
    async (_f, ext, load) => {
      const out = await runScript(
        `drivers.${ext}`,
        `${load}
${LOADED_DRIVERS}
(async () => {
  const onImport = loadedDrivers();
  const economy = sdk.createEconomy({ storage: ':memory:' });
  const tenant = economy.tenant('guild-1');
  const onCreate = loadedDrivers();
  await tenant.claim('daily', 'alice');
  const onUse = loadedDrivers();
  await economy.close();
  console.log(JSON.stringify({ onImport, onCreate, onUse }));
})().catch((error) => { console.error(error); process.exit(1); });
`,
      );
      // The last list shows that loadedDrivers() sees a driver once one is loaded.
      expect(out).toEqual({ onImport: [], onCreate: [], onUse: ['libsql', 'rate-limiter-flexible'] });
    },
  );

  let withoutServerDrivers = '';
  it.each(formats)('runs on :memory: where pg and ioredis are not installed (%s)', async (_f, ext, load) => {
    withoutServerDrivers ||= packed.without(['pg', 'ioredis']);
    const out = await runScript(
      `memory-only.${ext}`,
      `${load}
(async () => {
  const economy = sdk.createEconomy({ storage: ':memory:' });
  const tenant = economy.tenant('guild-1');
  await tenant.claim('daily', 'alice');
  await tenant.pay({ from: 'alice', to: 'bob', amount: 30n });
  const result = { alice: String(await tenant.balance('alice')), bob: String(await tenant.balance('bob')), verify: await tenant.ledger.verify() };
  await economy.close();
  console.log(JSON.stringify(result));
})().catch((error) => { console.error(error); process.exit(1); });
`,
      withoutServerDrivers,
    );
    expect(out).toEqual({ alice: '170', bob: '30', verify: { ok: true, problems: [] } });
  });

  let withoutDrivers = '';
  it.each(formats)(
    'imports with no driver installed and names the one a storage URL needs (%s)',
    async (_f, ext, load) => {
      withoutDrivers ||= packed.without(['libsql', 'pg', 'ioredis', 'rate-limiter-flexible']);
      const out = await runScript(
        `no-drivers.${ext}`,
        `${load}
(async () => {
  const refusal = async (storage) => {
    const economy = sdk.createEconomy({ storage });
    try {
      await economy.tenant('guild-1').balance('alice');
      return 'no error';
    } catch (error) {
      return { guildmint: sdk.isGuildmintError(error), code: error.code, message: error.message };
    } finally {
      await economy.close();
    }
  };
  console.log(JSON.stringify({
    config: sdk.defineEconomy(sdk.presets.cozy).name,
    memory: await refusal(':memory:'),
    postgres: await refusal('postgres://postgres@127.0.0.1:1/none'),
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`,
        withoutDrivers,
      );
      expect(out).toEqual({
        config: 'Cozy',
        memory: { guildmint: true, code: 'STORE_UNAVAILABLE', message: expect.stringContaining('libsql') },
        postgres: { guildmint: true, code: 'STORE_UNAVAILABLE', message: expect.stringContaining('"pg"') },
      });
    },
  );

  it('recognises its errors across the ESM and CJS copies loaded in one process', async () => {
    const out = await runScript(
      'two-copies.mjs',
      `import * as esm from '@guildmint/sdk';
import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('@guildmint/sdk');
const overdraft = async (sdk) => {
  const economy = sdk.createEconomy({ storage: ':memory:' });
  try {
    await economy.tenant('guild-1').ledger.transfer({ from: 'user:a', to: 'user:b', amount: 1n, code: 'x' });
  } catch (error) {
    return error;
  } finally {
    await economy.close();
  }
};
const badConfig = (sdk) => {
  try {
    sdk.defineEconomy({ currency: 5 });
  } catch (error) {
    return error;
  }
};
const seenBy = (sdk, errors) =>
  errors.map((e) => ({ code: e.code, is: sdk.isGuildmintError(e), isCode: sdk.isGuildmintError(e, e.code), instance: e instanceof sdk.GuildmintError }));
const fromEsm = [await overdraft(esm), badConfig(esm)];
const fromCjs = [await overdraft(cjs), badConfig(cjs)];
console.log(JSON.stringify({
  twoCopies: esm.GuildmintError !== cjs.GuildmintError && esm.createEconomy !== cjs.createEconomy,
  esmSeesCjs: seenBy(esm, fromCjs),
  cjsSeesEsm: seenBy(cjs, fromEsm),
  plain: [esm.isGuildmintError(new Error('x')), cjs.isGuildmintError(Object.assign(new Error('x'), { code: 'NOT_FOUND' }))],
}));
`,
    );
    const recognised = [
      { code: 'INSUFFICIENT_FUNDS', is: true, isCode: true, instance: true },
      { code: 'CONFIG_INVALID', is: true, isCode: true, instance: true },
    ];
    expect(out).toEqual({
      twoCopies: true,
      esmSeesCjs: recognised,
      cjsSeesEsm: recognised,
      plain: [false, false],
    });
  });

  it('has types for the root entry and @guildmint/sdk/libsql (moduleResolution node16 and nodenext)', async () => {
    await expectTypecheck(['root.mts', 'root.cts']);
  }, 150_000);

  it('refuses game, action and error mistakes at compile time, and narrows results by game', async () => {
    await expectTypecheck(['mistakes.mts']);
  }, 150_000);

  it('resolves the types of every subpath under moduleResolution node10 (typesVersions), as CommonJS bots compile', async () => {
    writeFileSync(
      join(packed.dir, 'node10.ts'),
      `import { createEconomy, type Tenant } from '@guildmint/sdk';
import { LibsqlStore } from '@guildmint/sdk/libsql';
import { PostgresStore } from '@guildmint/sdk/postgres';
import { simulateEconomy } from '@guildmint/sdk/simulation';
import { createRemoteEconomy } from '@guildmint/sdk/remote';
import { WEBHOOK_EVENT_TYPES } from '@guildmint/sdk/webhooks';
const tenant: Tenant = createEconomy({ storage: new LibsqlStore({ url: ':memory:' }) }).tenant('g');
// @ts-expect-error the subpaths are typed, not any
const wrong: number = simulateEconomy;
export = { tenant, PostgresStore, createRemoteEconomy, WEBHOOK_EVENT_TYPES, wrong };
`,
    );
    const compilerOptions = {
      strict: true,
      noEmit: true,
      module: 'commonjs',
      moduleResolution: 'node10',
      target: 'ES2022',
      lib: ['ES2023'],
      types: ['node'],
      skipLibCheck: true,
    };
    writeFileSync(
      join(packed.dir, 'tsconfig.node10.json'),
      JSON.stringify({ compilerOptions, files: ['node10.ts'] }),
    );
    const result = await run(tsc, ['-p', 'tsconfig.node10.json'], packed.dir, 120_000);
    expect({ code: result.code, output: (result.stdout + result.stderr).trim() }).toEqual({
      code: 0,
      output: '',
    });
  }, 150_000);

  it('has types for @guildmint/sdk/postgres without the user installing @types/pg (node16 and nodenext)', async () => {
    await expectTypecheck(['postgres.mts', 'postgres.cts']);
  }, 150_000);
});

function expectExports(out: Record<string, unknown>): void {
  expect(out.createEconomy).toBe('function');
  expect(out.GuildmintError).toBe('function');
  expect(out.ErrorCode).toMatchObject({
    INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
    IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  });
  expect(out.LibsqlStore).toBe('function');
  expect(out.PostgresStore).toBe('function');
  expect(out.simulateEconomy).toBe('function');
}

interface TypecheckReport {
  resolution: string;
  code: number | null;
  /** tsc's diagnostics, one string each (its first line starts with the file's name). */
  diagnostics: string[];
}

let consumersChecked: Promise<TypecheckReport[]> | undefined;

/**
 * Strict type checks of the consumer programs in both module modes, once for the file: nodenext also checks
 * every declaration file (skipLibCheck off, so a broken or unresolvable import in our .d.ts shows); node16
 * checks the resolution only, since checking the libraries' declarations twice (zod's are large) costs ~10 s
 * of CPU.
 */
function checkConsumers(): Promise<TypecheckReport[]> {
  consumersChecked ??= (async () => {
    for (const [file, source] of Object.entries(CONSUMERS)) writeFileSync(join(packed.dir, file), source);
    const modes = [
      { resolution: 'nodenext', skipLibCheck: false },
      { resolution: 'node16', skipLibCheck: true },
    ];
    return Promise.all(
      modes.map(async ({ resolution, skipLibCheck }) => {
        const project = `tsconfig.${resolution}.json`;
        const compilerOptions = {
          strict: true,
          noEmit: true,
          module: resolution,
          moduleResolution: resolution,
          target: 'ES2022',
          lib: ['ES2023'],
          types: ['node'],
          skipLibCheck,
        };
        writeFileSync(
          join(packed.dir, project),
          JSON.stringify({ compilerOptions, files: Object.keys(CONSUMERS) }),
        );
        const result = await run(tsc, ['-p', project], packed.dir, 120_000);
        // A diagnostic starts at an unindented line; its continuation lines are indented.
        const diagnostics = (result.stdout + result.stderr)
          .split(/\n(?=\S)/)
          .map((d) => d.trim())
          .filter(Boolean);
        return { resolution, code: result.code, diagnostics };
      }),
    );
  })();
  return consumersChecked;
}

/** `files` type-check in both modes: no diagnostic of theirs, none in a declaration, and tsc did finish. */
async function expectTypecheck(files: string[]): Promise<void> {
  const others = Object.keys(CONSUMERS).filter((file) => !files.includes(file));
  const reports = await checkConsumers();
  expect(
    reports.map(({ resolution, code, diagnostics }) => ({
      resolution,
      output: [
        ...diagnostics.filter((d) => !others.some((file) => d.startsWith(`${file}(`))),
        // tsc failed without saying why (a crash, a timeout): every test fails with it.
        ...(code !== 0 && diagnostics.length === 0 ? [`tsc exited ${code}`] : []),
      ].join('\n'),
    })),
  ).toEqual([
    { resolution: 'nodenext', output: '' },
    { resolution: 'node16', output: '' },
  ]);
}
