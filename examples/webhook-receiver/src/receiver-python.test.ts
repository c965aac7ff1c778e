import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEconomy, presets } from '@guildmint/sdk';
import {
  type EndpointDirectory,
  newWebhookSecret,
  openWebhookOutbox,
  type WebhookEndpoint,
  WebhookWorker,
  webhookHeaders,
} from '@guildmint/sdk/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The docs' Python receiver (python/webhook.py, included whole by apps/docs/pages/webhooks.md) against
// deliveries made by the SDK: the worker delivering a real economy's outbox, and requests signed by the
// worker's signer that a receiver must refuse. Under CI (CI=true, or GUILDMINT_REQUIRE_SERVICES=1 as
// scripts/test.mjs sets it) a missing python3 fails the run; elsewhere the suite is skipped with one loud
// line, as the suites needing a service are (packages/test-support/src/required.ts).

const PYTHON = process.env.PYTHON ?? 'python3';
const SERVER = fileURLToPath(new URL('../python/server.py', import.meta.url));
const required = process.env.CI === 'true' || process.env.GUILDMINT_REQUIRE_SERVICES === '1';
const probe = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
const pythonFound = probe.status === 0;
if (!pythonFound) {
  const why = probe.error?.message ?? probe.stderr;
  if (required) throw new Error(`${PYTHON} is required here (CI) to run the docs' Python receiver: ${why}`);
  console.warn(
    `\n!!!!! SKIPPING the Python webhook receiver suite: no ${PYTHON} (${why}). Install Python 3.10+ or set PYTHON. !!!!!\n`,
  );
}

/** The receiver's standard output, line by line, and a way to wait for a line. */
class Lines {
  readonly lines: string[] = [];
  private partial = '';
  private waiters: Array<() => void> = [];

  constructor(child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop()!;
      this.lines.push(...parts);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** The first line matching `test`, once it has been printed. */
  async first(test: (line: string) => boolean): Promise<string> {
    for (;;) {
      const line = this.lines.find(test);
      if (line !== undefined) return line;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

describe.runIf(pythonFound)('the docs Python receiver (standard library only)', () => {
  const secret = newWebhookSecret();
  const dir = mkdtempSync(join(tmpdir(), 'gm-python-receiver-'));
  const storage = `file:${join(dir, 'ledger.db')}`;
  let child: ChildProcess;
  let stdout: Lines;
  let stderr = '';
  let url = '';

  beforeAll(async () => {
    console.log(`python: ${probe.stdout.trim()}`);
    child = spawn(PYTHON, [SERVER], {
      env: { ...process.env, GUILDMINT_WEBHOOK_SECRET: secret, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    stdout = new Lines(child);
    const listening = await Promise.race([
      stdout.first((line) => line.startsWith('listening on ')),
      new Promise<never>((_, fail) =>
        child.once('exit', (code) => fail(new Error(`server.py exited ${code}: ${stderr}`))),
      ),
    ]);
    url = `http://127.0.0.1:${listening.slice('listening on '.length)}/webhooks`;
  });

  afterAll(() => {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Events the receiver handled, in order (one JSON line each). */
  const handled = () =>
    stdout.lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { id: string; type: string; data: Record<string, string> });

  /** One POST as the worker sends it: its signer's headers over `body` (or a body changed after signing). */
  async function post(o: { id: string; body: string; secrets?: string[]; at?: Date; sent?: string }) {
    const headers = webhookHeaders(o.secrets ?? [secret], o.id, o.at ?? new Date(), o.body);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: o.sent ?? o.body,
    });
    return response.status;
  }

  it('verifies what the worker delivers from an economy, handling each webhook-id once', async () => {
    const economy = createEconomy({ storage });
    await economy.migrate();
    const tenant = economy.tenant('py_receiver');
    await tenant.configure(presets.classic);
    await tenant.grant('alice', 1_000n, { reason: 'seed', actor: 'test' });
    await tenant.pay({ from: 'alice', to: 'bob', amount: 250n, key: 'pay-1' });
    await economy.close();

    const endpoint: WebhookEndpoint = {
      id: 'ep_python',
      tenant: 'py_receiver',
      url,
      // During a rotation both secrets sign: the receiver knows only the older one here.
      secrets: [newWebhookSecret(), secret],
      eventTypes: ['member.paid'],
      failingSince: null,
    };
    const directory: EndpointDirectory = {
      enabled: async (t) => (t === endpoint.tenant ? [endpoint] : []),
      byIds: async (ids) => new Map(ids.includes(endpoint.id) ? [[endpoint.id, endpoint]] : []),
      succeeded: async () => {},
      failed: async () => {},
      disable: async () => {},
    };
    const outbox = openWebhookOutbox(storage);
    const worker = new WebhookWorker({ store: outbox, endpoints: directory, allowLoopback: true });
    try {
      for (let round = 0; round < 10 && (await worker.runOnce()) > 0; round++);
      const deliveries = await outbox.listDeliveries('py_receiver', { limit: 10 });
      expect(deliveries.map((d) => [d.type, d.status, d.lastStatus])).toEqual([
        ['member.paid', 'delivered', 204],
      ]);
      // Delivered again (a replay from the log): answered 204, handled no more.
      expect(
        await outbox.replayDeliveries('py_receiver', { eventId: deliveries[0]!.eventId }, new Date()),
      ).toBe(1);
      await worker.runOnce();
      expect((await outbox.listDeliveries('py_receiver', { limit: 10 }))[0]).toMatchObject({
        attempts: 2,
        lastStatus: 204,
      });
      await post({ id: 'msg_after', body: '{"type":"check","data":{}}' });
      await stdout.first((line) => line.includes('msg_after'));
      expect(handled().map((e) => [e.id, e.type, e.data.from, e.data.to, e.data.amount])).toEqual([
        [deliveries[0]!.eventId, 'member.paid', 'alice', 'bob', '250'],
        ['msg_after', 'check', undefined, undefined, undefined],
      ]);
    } finally {
      await worker.stop();
      await outbox.close();
    }
  });

  it('refuses a forged, a tampered, a wrong-secret, a stale and a replayed old delivery with 401', async () => {
    const before = handled().length;
    const body = JSON.stringify({ type: 'member.paid', tenant: 't', data: { amount: '5' } });
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const genuineButOld = webhookHeaders([secret], 'msg_old', tenMinutesAgo, body);
    const cases: Array<[string, () => Promise<number>]> = [
      ['wrong secret', () => post({ id: 'msg_wrong', body, secrets: [newWebhookSecret()] })],
      ['tampered body', () => post({ id: 'msg_tampered', body, sent: body.replace('"5"', '"5000"') })],
      ['stale', () => post({ id: 'msg_stale', body, at: tenMinutesAgo })],
      ['in the future', () => post({ id: 'msg_future', body, at: new Date(Date.now() + 10 * 60_000) })],
      [
        'forged signature',
        async () => {
          const headers = { ...webhookHeaders([secret], 'msg_forged', new Date(), body) };
          headers['webhook-signature'] = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
          return (await fetch(url, { method: 'POST', headers, body })).status;
        },
      ],
      [
        'replay of an old genuine one',
        async () => (await fetch(url, { method: 'POST', headers: genuineButOld, body })).status,
      ],
      ['no signature', async () => (await fetch(url, { method: 'POST', body })).status],
    ];
    const statuses = [];
    for (const [what, send] of cases) statuses.push([what, await send()]);
    expect(statuses).toEqual(cases.map(([what]) => [what, 401]));
    // Refused means not handled: only the genuine one sent last shows.
    await post({ id: 'msg_last', body });
    await stdout.first((line) => line.includes('msg_last'));
    expect(
      handled()
        .slice(before)
        .map((e) => e.id),
    ).toEqual(['msg_last']);
  });
});
