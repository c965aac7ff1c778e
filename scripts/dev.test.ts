import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Root `pnpm dev` (scripts/dev.mjs) with GUILDMINT_DEV_DRY_RUN=1: the simulator, demo guilds, runtime and
 * member prompt start for real; instead of `next dev`, the script prints what it would run it with.
 */
const ROOT = new URL('..', import.meta.url).pathname;

interface Plan {
  url: string;
  cwd: string;
  args: string[];
  env: Record<string, string>;
  authSecretSha256: string;
  runtimePid: number;
  stripeSimulatorPid: number;
  runtimeEnv: { DATABASE_URL: string };
}

describe('pnpm dev (scripts/dev.mjs)', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let plan: Plan;

  const waitFor = async (pattern: RegExp, timeoutMs = 45_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (child.exitCode !== null) throw new Error(`dev exited (${child.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return pattern.exec(output) as RegExpExecArray;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guildmint-dev-'));
    const env: NodeJS.ProcessEnv = { ...process.env, GUILDMINT_DEV_DRY_RUN: '1', GUILDMINT_DEV_DIR: dir };
    delete env.DATABASE_URL;
    delete env.AUTH_SECRET;
    child = spawn(process.execPath, ['scripts/dev.mjs'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    plan = JSON.parse((await waitFor(/GUILDMINT_DEV_PLAN (.*)\n/))[1] as string) as Plan;
    await waitFor(/alice> /);
  }, 60_000);

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('would run next dev on localhost with the simulator, AUTH_URL and the runtime economy store', () => {
    const port = plan.args[plan.args.indexOf('--port') + 1];
    expect(plan.url).toBe(`http://localhost:${port}`);
    expect(plan.cwd).toBe(join(ROOT, 'apps', 'control-plane'));
    expect(plan.args.slice(1)).toEqual(['dev', '--port', port, '--hostname', 'localhost']);
    const store = `file:${join(dir, 'dev.db')}`;
    expect(plan.runtimeEnv.DATABASE_URL).toBe(store);
    expect(plan.env).toMatchObject({
      AUTH_URL: plan.url,
      ECONOMY_STORAGE: store,
      GUILDMINT_DATA_DIR: dir,
      AUTH_DISCORD_ID: expect.stringMatching(/^\d+$/),
      DISCORD_APPLICATION_ID: plan.env.AUTH_DISCORD_ID,
      DISCORD_OAUTH_API_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api$/),
      GUILDMINT_DEV_LOGIN: '1',
    });
    expect(plan.env.DISCORD_API_URL).toBeUndefined(); // the bot's REST base: not the control plane's
    expect(plan.env.DISCORD_BOT_TOKEN).toMatch(/\S/); // role grants are checked with Discord at publish
    expect(plan.env.DATABASE_URL).toBeUndefined(); // the control plane's is PostgreSQL only
    expect(output).toContain(`Control plane: ${plan.url}`);
    expect(output).toContain('"Log in as Demo Owner"');
  });

  it('gives the control plane a session secret of its own, generated once per checkout and kept private', () => {
    const file = join(dir, 'auth-secret');
    const secret = readFileSync(file, 'utf8').trim();
    expect(secret).toMatch(/^[\w-]{43}$/); // 32 random bytes
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(plan.authSecretSha256).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(plan)).not.toContain(secret);
  });

  it("starts the Stripe simulator: the control plane's STRIPE_* environment, the plan prices, signed webhooks to its route", async () => {
    expect(plan.env).toMatchObject({
      STRIPE_API_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      STRIPE_SECRET_KEY: expect.stringMatching(/^sk_test_\w+$/),
      STRIPE_WEBHOOK_SECRET: expect.stringMatching(/^whsec_\w+$/),
      STRIPE_CONNECT_WEBHOOK_SECRET: expect.stringMatching(/^whsec_\w+$/),
    });
    expect(plan.env.STRIPE_CONNECT_WEBHOOK_SECRET).not.toBe(plan.env.STRIPE_WEBHOOK_SECRET);
    expect(output).toContain(`Stripe simulator: ${plan.env.STRIPE_API_URL}`);
    expect(output).toContain(`Payments: the Stripe simulator; its dashboard ${plan.env.STRIPE_API_URL}`);
    const api = new URL(plan.env.STRIPE_API_URL as string);
    const stripe = new Stripe(plan.env.STRIPE_SECRET_KEY as string, {
      host: api.hostname,
      port: Number(api.port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    const prices = await stripe.prices.list({
      lookup_keys: ['guildmint_pro_monthly', 'guildmint_scale_monthly'],
    });
    expect(
      prices.data.map((p) => [p.lookup_key, p.unit_amount, p.currency, p.recurring?.interval]).sort(),
    ).toEqual([
      ['guildmint_pro_monthly', 900, 'usd', 'month'],
      ['guildmint_scale_monthly', 2900, 'usd', 'month'],
    ]);
    // In a dry run nothing listens on the control plane's port, so this test answers its webhook route.
    const events: Stripe.Event[] = [];
    const route = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        expect(request.url).toBe('/api/webhooks/stripe');
        const raw = Buffer.concat(chunks).toString('utf8');
        const signature = request.headers['stripe-signature'] as string;
        events.push(stripe.webhooks.constructEvent(raw, signature, plan.env.STRIPE_WEBHOOK_SECRET as string));
        response.writeHead(200).end();
      });
    });
    const port = Number(new URL(plan.url).port);
    await new Promise<void>((resolve) => route.listen(port, 'localhost', resolve));
    try {
      const customer = await stripe.customers.create({ email: 'owner@guild.test' });
      const deadline = Date.now() + 15_000;
      while (events.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(events.map((e) => [e.type, (e.data.object as { id: string }).id])).toEqual([
        ['customer.created', customer.id],
      ]);
    } finally {
      route.closeAllConnections();
      await new Promise((resolve) => route.close(resolve));
    }
  });

  it("registers the control plane's redirect URI with the simulator, whose login page offers the demo owner", async () => {
    const authorize = (redirect: string) => {
      const url = new URL(plan.env.AUTH_DISCORD_AUTHORIZATION_URL as string);
      url.search = new URLSearchParams({
        client_id: plan.env.AUTH_DISCORD_ID as string,
        redirect_uri: redirect,
        response_type: 'code',
        scope: 'identify guilds',
      }).toString();
      return fetch(url, { redirect: 'manual' });
    };
    const page = await authorize(`${plan.url}/api/auth/callback/discord`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Demo Owner');
    expect((await authorize('http://127.0.0.1:3000/api/auth/callback/discord')).status).toBe(400);
  });

  it("sells the demo guild Pro through Discord's store (Premium Apps), and a refund ends it", async () => {
    child.stdin?.write('premium buy\n');
    await waitFor(/plan: pro \(discord \d+, active\)/);
    child.stdin?.write('premium refund\n');
    await waitFor(/plan: free\n/);
  });

  it('keeps the member prompt, and SIGTERM stops the runtime and exits 0', async () => {
    child.stdin?.write('/daily\n');
    await waitFor(/You received/);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(() => process.kill(plan.runtimePid, 0)).toThrow(/ESRCH/);
    expect(() => process.kill(plan.stripeSimulatorPid, 0)).toThrow(/ESRCH/);
  });
});
