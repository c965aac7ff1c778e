import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from './support/api-server';
import { createHarness, type Harness, onboarded } from './support/harness';

/**
 * examples/remote-client, run as its README says (tsx, three arguments, the URL, tenant and key in the
 * environment) against API v1 on loopback: it pays, a rerun of the same payment is a replay (money moves
 * once), and a payment the member cannot afford exits 1 with nothing moved.
 */

const EXAMPLE_DIR = resolve(import.meta.dirname, '../../../examples/remote-client');
const TSX = createRequire(join(EXAMPLE_DIR, 'package.json')).resolve('tsx/cli');
const alice = '320000000000000001';
const bob = '320000000000000002';

describe('examples/remote-client against API v1', () => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof startApiServer>>;
  let env: NodeJS.ProcessEnv;
  let tenantId: string;

  beforeAll(async () => {
    h = await createHarness('libsql');
    server = await startApiServer(h.services);
    const owner = await onboarded(h);
    tenantId = owner.tenantId;
    const { secret } = await owner.caller.apiKeys.create({ tenantId, name: 'example', scopes: ['write'] });
    await h.economy.tenant(tenantId).grant(alice, 1_000n, { reason: 'seed', actor: 'test' });
    env = {
      ...process.env,
      GUILDMINT_URL: server.url,
      GUILDMINT_TENANT: tenantId,
      GUILDMINT_API_KEY: secret,
    };
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, [TSX, 'src/main.ts', ...args], { cwd: EXAMPLE_DIR, env }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  const balances = async () => {
    const tenant = h.economy.tenant(tenantId);
    return [await tenant.balance(alice), await tenant.balance(bob)];
  };

  it('pays once, however often it is run', async () => {
    const first = await run(alice, bob, '100');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^paid 100 \(tax \d+, fee \d+\) in \S+\n/);
    const [a, b] = await balances();
    expect(b).toBe(100n);
    expect(first.stdout).toContain(`${alice} now has ${a}, ${bob} has 100`);

    const again = await run(alice, bob, '100');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^already paid 100 /);
    expect(await balances()).toEqual([a, b]);
  });

  it('says when the member cannot afford it, exits 1, and moves nothing', async () => {
    const before = await balances();
    const result = await run(alice, bob, '999999');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${alice} cannot afford 999999`);
    expect(await balances()).toEqual(before);
  });
});
