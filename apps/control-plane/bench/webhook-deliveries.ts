import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookWorker } from '@guildmint/sdk/webhooks';
import { Webhook } from 'standardwebhooks';
import { endpointDirectory } from '../src/server/webhooks/endpoints';
import type { Harness } from '../test/support/harness';
import { backendCpu, backendCpuSpent } from './database-cpu';

export interface DeliveryRow {
  events: number;
  delivered: number;
  rejected: number;
  seconds: number;
  perSecond: number;
  /** CPU time of this process (worker, receiver and its verification) per delivery, in ms. */
  cpuMsPerDelivery: number;
  /** CPU time of the PostgreSQL backends (the outbox's queries) per delivery, in ms; null on libSQL. */
  databaseCpuMsPerDelivery: number | null;
}

/**
 * Webhook deliveries per second: `events` payments committed first (each one outbox event), then one
 * worker drains the outbox to an endpoint on loopback whose receiver verifies every request with the
 * official standardwebhooks library. Timed from the worker's first claim to its last recorded attempt.
 */
export async function measureWebhookDeliveries(
  h: Harness,
  owner: { tenantId: string; caller: ReturnType<Harness['caller']> },
  events: number,
): Promise<DeliveryRow> {
  // The receiver's verifier, made once the endpoint's secret is known (not once per request).
  let webhook: Webhook | undefined;
  let delivered = 0;
  let rejected = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        webhook!.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
        delivered++;
        res.writeHead(204).end();
      } catch {
        rejected++;
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const tenant = h.economy.tenant(owner.tenantId);
  // Drain what the API workloads left, with no endpoint yet (fanned out to nobody).
  const idle = new WebhookWorker({
    store: h.services.webhooks.outbox,
    endpoints: endpointDirectory(h.services.webhooks.endpoints, { now: () => new Date() }),
  });
  while ((await idle.runOnce()) > 0);
  await idle.stop();
  const created = await owner.caller.webhooks.create({
    tenantId: owner.tenantId,
    url,
    eventTypes: ['member.paid'],
  });
  webhook = new Webhook(created.secret);
  // Payers under the per-member rate limit (600 a minute): 500 payments each.
  const payers = Array.from(
    { length: Math.ceil(events / 500) },
    (_, i) => `1000000000000${String(i).padStart(5, '0')}`,
  );
  for (const payer of payers) await tenant.grant(payer, 1_000n, { reason: 'bench', actor: 'bench' });
  for (let i = 0; i < events; i += 250) {
    const batch = Array.from({ length: Math.min(250, events - i) }, (_, j) =>
      tenant.pay({
        from: payers[Math.floor((i + j) / 500)]!,
        to: `2000000000000${String((i + j) % 1000).padStart(5, '0')}`,
        amount: 1n,
      }),
    );
    await Promise.all(batch);
  }
  const worker = new WebhookWorker({
    store: h.services.webhooks.outbox,
    endpoints: endpointDirectory(h.services.webhooks.endpoints, { now: () => new Date() }),
    allowLoopback: true,
    batchSize: 500,
  });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const databaseCpu = backendCpu(h.economyUrl);
  while ((await worker.runOnce()) > 0);
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const databaseCpuAfter = backendCpu(h.economyUrl);
  await worker.stop();
  receiver.close();
  return {
    events,
    delivered,
    rejected,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(delivered / seconds),
    cpuMsPerDelivery: msPerDelivery(user + system, delivered),
    databaseCpuMsPerDelivery:
      databaseCpu === null || databaseCpuAfter === null
        ? null
        : msPerDelivery(backendCpuSpent(databaseCpu, databaseCpuAfter), delivered),
  };
}

const msPerDelivery = (cpuUs: number, delivered: number) =>
  Number((cpuUs / 1000 / Math.max(1, delivered)).toFixed(3));
