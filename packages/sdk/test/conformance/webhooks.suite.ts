import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { presets } from '../../src/index.js';
import { newWebhookSecret, signWebhook, WebhookWorker } from '../../src/webhooks/index.js';
import { type StoreTarget, spyOnGroupCommits, storeOf, tableRows } from '../support/stores.js';
import { MemoryDirectory } from '../webhooks/directory.js';
import { TestReceiver } from '../webhooks/receiver.js';
import { TsChild } from './concurrency-child.js';

/** A migrated economy on `store`, with a delivery worker over an endpoint list the test fills. */
async function openWithWorker(store: StoreTarget) {
  const economy = store.open();
  await economy.migrate();
  const directory = new MemoryDirectory();
  const worker = new WebhookWorker({ store: storeOf(economy), endpoints: directory, allowLoopback: true });
  return { economy, directory, worker };
}

/** Rounds until nothing is due (each round fans out and delivers what is due). */
async function drain(worker: WebhookWorker): Promise<void> {
  for (let round = 0; round < 50; round++) if ((await worker.runOnce()) === 0) return;
  throw new Error('the outbox did not drain in 50 rounds');
}

/**
 * The webhook outbox and its delivery on one store: events committed with their money move (and never
 * without), delivered signed per Standard Webhooks and verified by the official library, retried,
 * disabled on 410, replayed, and kept within their tenant.
 */
export function describeWebhooksConformance(store: StoreTarget) {
  describe(`webhook outbox and delivery (${store.name})`, () => {
    const receiver = new TestReceiver();
    beforeAll(() => receiver.start());
    afterAll(() => receiver.stop());

    it('writes an event with each money move, in its transaction: none for a refused op or a replay', async () => {
      const economy = store.open();
      await economy.migrate();
      try {
        const t = economy.tenant('wh_atomic');
        await t.configure(presets.classic);
        await t.claim('daily', 'u1');
        await t.pay({ from: 'u1', to: 'u2', amount: 10n, key: 'pay-1' });
        const before = await tableRows(economy, 'wh_atomic');
        // Refused (not enough money) and replayed (same key, same body): no new outbox row.
        await expect(t.pay({ from: 'u2', to: 'u1', amount: 1_000_000n })).rejects.toMatchObject({
          code: 'INSUFFICIENT_FUNDS',
        });
        await t.pay({ from: 'u1', to: 'u2', amount: 10n, key: 'pay-1' });
        expect(await tableRows(economy, 'wh_atomic')).toEqual(before);
        await t.freeze('u2', { reason: 'checking' });

        const events = await storeOf(economy).claimEvents(100, new Date(), new Date(Date.now() + 60_000));
        const mine = events.filter((e) => e.tenant === 'wh_atomic');
        expect(mine.map((e) => e.type)).toEqual([
          'config.published',
          'faucet.claimed',
          'member.paid',
          'wallet.frozen',
        ]);
        const paid = JSON.parse(mine[2]!.payload);
        expect(paid).toMatchObject({
          type: 'member.paid',
          tenant: 'wh_atomic',
          data: { id: 'pay-1', from: 'u1', to: 'u2', amount: '10' },
        });
        expect(new Date(paid.timestamp).toISOString()).toBe(paid.timestamp);
        expect(mine[0]!.id).toMatch(/^msg_[0-9a-f]{32}$/);
      } finally {
        await economy.close();
      }
    });

    it('writes the event asked for beside a transfer or a reversal, once, with the money; a bad one refuses the call', async () => {
      const economy = store.open();
      await economy.migrate();
      try {
        const t = economy.tenant('wh_beside');
        const credit = {
          id: 'pack.pi_1',
          from: 'faucet:purchase',
          to: 'user:m1',
          amount: 50n,
          code: 'purchase.pack',
        };
        const purchased = { type: 'pack.purchased', data: { member: 'm1', coins: 50n } } as const;
        const rows = await tableRows(economy, t.id);
        for (const bad of [
          { type: 'pack.bought', data: {} },
          { type: 'pack.purchased', data: [] },
          { type: 'pack.purchased', data: { big: 'x'.repeat(9000) } },
        ])
          await expect(t.ledger.transfer(credit, { event: bad as never })).rejects.toMatchObject({
            code: 'INVALID_INPUT',
          });
        expect(await tableRows(economy, t.id)).toEqual(rows);
        await t.ledger.transfer(credit, { event: purchased });
        await t.ledger.transfer(credit, { event: purchased });
        const reverse = () =>
          t.ledger.reverse('pack.pi_1', {
            id: 'pack.pi_1.reversed',
            reason: 'refunded',
            force: true,
            event: { type: 'pack.refunded', data: { member: 'm1', coins: 50n } },
          });
        await reverse();
        await reverse().catch(() => undefined);
        const events = await storeOf(economy).claimEvents(100, new Date(), new Date(Date.now() + 60_000));
        const mine = events.filter((e) => e.tenant === 'wh_beside');
        expect(mine.map((e) => e.type)).toEqual(['pack.purchased', 'pack.refunded']);
        expect(JSON.parse(mine[0]!.payload)).toMatchObject({ data: { member: 'm1', coins: '50' } });
      } finally {
        await economy.close();
      }
    });

    it('writes no events for a tenant that records none (in a group shared with one that does), and again once it does', async () => {
      const economy = store.open();
      await economy.migrate();
      const groups = spyOnGroupCommits(economy);
      try {
        const outbox = storeOf(economy);
        // Every event not claimed before, by tenant (one claim: it leases what it returns).
        const claimed = async () => {
          const events = await outbox.claimEvents(100, new Date(), new Date(Date.now() + 60_000));
          const types = (tenant: string) => events.filter((e) => e.tenant === tenant).map((e) => e.type);
          return { quiet: types('wh_quiet'), loud: types('wh_loud') };
        };
        const quiet = economy.tenant('wh_quiet');
        const loud = economy.tenant('wh_loud');
        await outbox.recordEvents('wh_quiet', false);
        await Promise.all([quiet.configure(presets.classic), loud.configure(presets.classic)]);
        await Promise.all([quiet.claim('daily', 'u1'), loud.claim('daily', 'u1')]);
        await quiet.freeze('u2', { reason: 'checking' });
        // Submitted in one turn, two tenants' moves commit in one group: each tenant's switch decides alone.
        const move = (tenant: string) =>
          outbox.commit({
            tenant,
            batchId: null,
            transfers: [
              {
                id: `${tenant}-grant`,
                from: 'faucet:grant',
                to: 'user:u9',
                amount: 5n,
                code: 'faucet.grant',
                metadata: null,
                reverses: null,
                forced: false,
              },
            ],
            events: [{ id: `msg_${tenant}`, type: 'transfer.created', payload: '{}' }],
          });
        await Promise.all([move('wh_quiet'), move('wh_loud')]);
        expect(groups.mock.calls.some(([ops]) => new Set(ops.map((op) => op.tenant)).size === 2)).toBe(true);
        // The money moved all the same; only the events were left out, and only the quiet tenant's.
        expect(await quiet.balance('u1')).toBeGreaterThan(0n);
        expect(await quiet.balance('u9')).toBe(5n);
        expect(await claimed()).toEqual({
          quiet: [],
          loud: ['config.published', 'faucet.claimed', 'transfer.created'],
        });

        await outbox.recordEvents('wh_quiet', true);
        await quiet.pay({ from: 'u1', to: 'u3', amount: 1n });
        expect(await claimed()).toEqual({ quiet: ['member.paid'], loud: [] });

        await expect(outbox.recordEvents('not a tenant', false)).rejects.toMatchObject({
          code: 'TENANT_INVALID',
        });
        await expect(outbox.recordEvents('wh_quiet', 'off' as never)).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
        await quiet.pay({ from: 'u1', to: 'u3', amount: 1n });
        expect(await claimed()).toEqual({ quiet: ['member.paid'], loud: [] });
      } finally {
        groups.mockRestore();
        await economy.close();
      }
    });

    it('writes config.published, plan.changed and anomaly.detected with what causes them, once, and delivers them verified', async () => {
      const { economy, directory, worker } = await openWithWorker(store);
      try {
        const t = economy.tenant('wh_platform');
        const secret = newWebhookSecret();
        const types = ['config.published', 'plan.changed', 'anomaly.detected'] as const;
        directory.add({
          id: 'ep_platform',
          tenant: t.id,
          url: receiver.endpoint('/platform', secret),
          secrets: [secret],
          eventTypes: [...types],
        });
        await drain(worker); // whatever earlier tests left
        const outbox = async () =>
          (await storeOf(economy).claimEvents(100, new Date(), new Date()))
            .filter((e) => e.tenant === t.id)
            .map((e) => JSON.parse(e.payload) as { type: string; data: Record<string, unknown> });

        // A publish writes its event with its version; a refused one (stale basedOn, invalid) writes none.
        expect((await t.configure(presets.cozy)).version).toBe(1);
        await expect(t.configure(presets.casino, { basedOn: 0 })).rejects.toMatchObject({
          code: 'CONCURRENT_UPDATE',
        });
        await expect(t.configure({ ...presets.cozy, timeZone: 'Nowhere/City' })).rejects.toMatchObject({
          code: 'CONFIG_INVALID',
        });
        // The plan in force changes (Free → Pro), stays (the same observation again), changes back.
        const observedAt = new Date();
        const pro = {
          rail: 'stripe',
          ref: 'sub_1',
          plan: 'pro',
          status: 'active',
          currentPeriodEnd: null,
          graceUntil: null,
          observedAt,
        } as const;
        await t.recordEntitlement(pro);
        await t.recordEntitlement(pro);
        await t.recordEntitlement({
          ...pro,
          status: 'ended',
          observedAt: new Date(observedAt.getTime() + 1),
        });
        // A payment answered by one back is a circular flag: announced by the first scan only.
        await t.grant('a', 100n, { reason: 'seed' });
        await t.pay({ from: 'a', to: 'b', amount: 50n });
        await t.pay({ from: 'b', to: 'a', amount: 20n });
        const since = new Date(Date.now() - 60_000);
        expect((await t.anomalies({ since })).flags.map((f) => f.kind)).toEqual(['circular']);
        expect((await t.anomalies({ since })).flags).toHaveLength(1);

        const events = (await outbox()).filter((e) => (types as readonly string[]).includes(e.type));
        expect(events).toEqual([
          expect.objectContaining({
            type: 'config.published',
            data: { version: 1, previousVersion: 0, name: presets.cozy.name, actor: null },
          }),
          expect.objectContaining({
            type: 'plan.changed',
            data: { from: 'free', to: 'pro', rail: 'stripe', ref: 'sub_1', status: 'active' },
          }),
          expect.objectContaining({
            type: 'plan.changed',
            data: { from: 'pro', to: 'free', rail: 'stripe', ref: 'sub_1', status: 'ended' },
          }),
          expect.objectContaining({
            type: 'anomaly.detected',
            data: expect.objectContaining({
              kind: 'circular',
              accounts: ['user:a', 'user:b'],
              detail: expect.objectContaining({ roundTrips: 1, returned: '20' }),
            }),
          }),
        ]);

        await drain(worker);
        const delivered = receiver.at('/platform');
        expect(delivered.map((r) => JSON.parse(r.body).type)).toEqual([
          'config.published',
          'plan.changed',
          'plan.changed',
          'anomaly.detected',
        ]);
        expect(delivered.every((r) => r.verified)).toBe(true);
      } finally {
        await worker.stop();
        await economy.close();
      }
    });

    it('delivers every event once, signed so that the standardwebhooks library verifies it; only to its tenant', async () => {
      const { economy, directory, worker } = await openWithWorker(store);
      try {
        const a = economy.tenant('wh_a');
        const b = economy.tenant('wh_b');
        directory.add({
          id: 'ep_a',
          tenant: 'wh_a',
          url: receiver.endpoint('/a', newWebhookSecret()),
          secrets: [],
          eventTypes: [],
        });
        directory.endpoints.get('ep_a')!.secrets = [receiverSecret(receiver, '/a')];
        const secretB = newWebhookSecret();
        directory.add({
          id: 'ep_b',
          tenant: 'wh_b',
          url: receiver.endpoint('/b', secretB),
          secrets: [secretB],
          eventTypes: ['member.paid'],
        });
        await drain(worker); // whatever earlier tests left
        await a.claim('daily', 'x');
        await a.pay({ from: 'x', to: 'y', amount: 5n });
        await b.claim('daily', 'z');
        await b.pay({ from: 'z', to: 'y', amount: 7n });
        await drain(worker);

        const atA = receiver.at('/a');
        expect(atA.map((r) => JSON.parse(r.body).type)).toEqual(['faucet.claimed', 'member.paid']);
        expect(atA.every((r) => r.verified)).toBe(true);
        expect(atA.every((r) => JSON.parse(r.body).tenant === 'wh_a')).toBe(true);
        // B subscribed to payments only, and hears nothing of A.
        const atB = receiver.at('/b');
        expect(atB.map((r) => JSON.parse(r.body))).toEqual([
          expect.objectContaining({
            type: 'member.paid',
            tenant: 'wh_b',
            data: expect.objectContaining({ amount: '7' }),
          }),
        ]);
        const log = await storeOf(economy).listDeliveries('wh_a', { limit: 10 });
        expect(log.map((d) => [d.type, d.status, d.attempts, d.lastStatus])).toEqual([
          ['member.paid', 'delivered', 1, 204],
          ['faucet.claimed', 'delivered', 1, 204],
        ]);
        expect(await storeOf(economy).listDeliveries('wh_b', { endpointId: 'ep_a', limit: 10 })).toEqual([]);
      } finally {
        await worker.stop();
        await economy.close();
      }
    });

    it('retries on the schedule, disables an endpoint that answers 410, and replays on request', async () => {
      const economy = store.open();
      await economy.migrate();
      const directory = new MemoryDirectory();
      let offset = 0;
      const worker = new WebhookWorker({
        store: storeOf(economy),
        endpoints: directory,
        allowLoopback: true,
        now: () => new Date(Date.now() + offset),
      });
      try {
        await drain(worker);
        const t = economy.tenant('wh_retry');
        const secret = newWebhookSecret();
        directory.add({
          id: 'ep_r',
          tenant: 'wh_retry',
          url: receiver.endpoint('/r', secret, [500]),
          secrets: [secret],
          eventTypes: [],
        });
        await t.claim('daily', 'u');
        await drain(worker);
        const [failed] = await storeOf(economy).listDeliveries('wh_retry', { limit: 1 });
        expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
        expect(directory.endpoints.get('ep_r')!.failingSince).not.toBeNull();
        // Not due before 5 s have passed; due after.
        expect(await worker.runOnce()).toBe(0);
        offset += 5_000;
        await drain(worker);
        const [delivered] = await storeOf(economy).listDeliveries('wh_retry', { limit: 1 });
        expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });
        expect(directory.endpoints.get('ep_r')!.failingSince).toBeNull();
        const attempts = await storeOf(economy).listAttempts('wh_retry', delivered!.eventId, 'ep_r');
        expect(attempts.map((x) => x.status)).toEqual([500, 204]);

        // Replay one message: sent again, same webhook-id.
        expect(
          await storeOf(economy).replayDeliveries(
            'wh_retry',
            { eventId: delivered!.eventId },
            new Date(Date.now() + offset),
          ),
        ).toBe(1);
        await drain(worker);
        expect(receiver.at('/r').map((r) => r.id)).toEqual([
          delivered!.eventId,
          delivered!.eventId,
          delivered!.eventId,
        ]);

        // 410 Gone: the endpoint is disabled, its pending deliveries cancelled.
        receiver.endpoint('/r', secret, [410]);
        await t.pay({ from: 'u', to: 'v', amount: 1n });
        await t.pay({ from: 'u', to: 'v', amount: 2n });
        await drain(worker);
        expect(directory.endpoints.get('ep_r')).toMatchObject({
          enabled: false,
          disabledReason: expect.stringMatching(/410/),
        });
        const statuses = (await storeOf(economy).listDeliveries('wh_retry', { limit: 10 })).map(
          (d) => d.status,
        );
        expect(statuses.filter((s) => s === 'pending')).toEqual([]);
        // Past the retention, settled events are forgotten with their log; nothing pending ever is.
        const all = await storeOf(economy).listDeliveries('wh_retry', { limit: 10 });
        expect(all.length).toBeGreaterThan(0);
        const pruned = await storeOf(economy).pruneOutbox(new Date(Date.now() + 86_400_000), 10_000);
        expect(pruned).toBeGreaterThanOrEqual(all.length);
        expect(await storeOf(economy).listDeliveries('wh_retry', { limit: 10 })).toEqual([]);
        expect(await storeOf(economy).listAttempts('wh_retry', all[0]!.eventId, 'ep_r')).toEqual([]);
      } finally {
        await worker.stop();
        await economy.close();
      }
    });

    it('disables an endpoint after days of failure, and never calls a private address', async () => {
      const economy = store.open();
      await economy.migrate();
      const directory = new MemoryDirectory();
      const worker = new WebhookWorker({
        store: storeOf(economy),
        endpoints: directory,
        allowLoopback: false,
      });
      try {
        await drain(new WebhookWorker({ store: storeOf(economy), endpoints: new MemoryDirectory() }));
        const secret = newWebhookSecret();
        directory.add({
          id: 'ep_down',
          tenant: 'wh_down',
          // Loopback is refused without the development flag, whatever the scheme.
          url: receiver.endpoint('/down', secret).replace('http:', 'https:'),
          secrets: [secret],
          eventTypes: [],
          failingSince: new Date(Date.now() - 6 * 86_400_000),
        });
        await economy.tenant('wh_down').claim('daily', 'u');
        await drain(worker);
        expect(receiver.at('/down')).toEqual([]);
        const [attempt] = await storeOf(economy).listDeliveries('wh_down', { limit: 1 });
        expect(attempt!.lastError).toMatch(/loopback/);
        expect(directory.endpoints.get('ep_down')).toMatchObject({
          enabled: false,
          disabledReason: expect.stringMatching(/failed for 6 days/),
        });
      } finally {
        await worker.stop();
        await economy.close();
      }
    });
  });
}

function receiverSecret(receiver: TestReceiver, path: string): string {
  const secret = newWebhookSecret();
  receiver.endpoint(path, secret);
  return secret;
}

/** What the official library accepts and refuses (store-independent; run once). */
export function describeSignatureInterop() {
  describe('Standard Webhooks signatures, checked by the standardwebhooks library', () => {
    const body = JSON.stringify({ type: 'member.paid', data: { amount: '5' } });

    it('verifies both signatures during a rotation, and refuses a forged, stale or replayed one', () => {
      const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
      const now = Math.floor(Date.now() / 1000);
      const headers = (
        timestamp: number,
        signature = signWebhook([newSecret, oldSecret], 'msg_1', timestamp, body),
      ) => ({
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      });
      expect(new Webhook(oldSecret).verify(body, headers(now))).toEqual(JSON.parse(body));
      expect(new Webhook(newSecret).verify(body, headers(now))).toEqual(JSON.parse(body));
      // Forged: another body under the same headers, or a signature with a secret nobody shared.
      expect(() => new Webhook(newSecret).verify(body.replace('5', '500'), headers(now))).toThrow();
      expect(() =>
        new Webhook(newSecret).verify(
          body,
          headers(now, signWebhook([newWebhookSecret()], 'msg_1', now, body)),
        ),
      ).toThrow();
      // Stale: signed ten minutes ago.
      expect(() => new Webhook(newSecret).verify(body, headers(now - 600))).toThrow();
      // Replayed: a captured delivery sent again six minutes later.
      const captured = headers(now);
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + 6 * 60_000);
        expect(() => new Webhook(newSecret).verify(body, captured)).toThrow();
      } finally {
        vi.useRealTimers();
      }
    });
  });
}

/** A worker killed with SIGKILL while a delivery is in flight: another worker delivers it, nothing lost. */
export function describeWorkerKill(store: StoreTarget) {
  describe(`a delivery worker killed mid-delivery (${store.name})`, () => {
    const receiver = new TestReceiver();
    beforeAll(() => receiver.start());
    afterAll(() => receiver.stop());

    it('leaves the delivery to the next worker once its lease lapses', async () => {
      const economy = store.open();
      await economy.migrate();
      const secret = newWebhookSecret();
      const endpoint = receiver.endpoint('/kill', secret);
      receiver.hold('/kill', true);
      // Both events exist before the worker starts: its first round takes both.
      const t = economy.tenant('wh_kill');
      await t.claim('daily', 'u');
      await t.pay({ from: 'u', to: 'v', amount: 3n });
      const child = new TsChild('test/webhooks/worker-child.ts', {
        url: store.url(),
        tenant: 'wh_kill',
        endpoint,
        secret,
      });
      try {
        await child.waitFor((m) => m.t === 'started');
        // Both requests are in flight (held by the receiver) when the worker dies.
        await vi.waitFor(() => expect(receiver.at('/kill')).toHaveLength(2), {
          timeout: 20_000,
          interval: 20,
        });
        child.kill();
        await child.exited;
        receiver.hold('/kill', false);

        const directory = new MemoryDirectory();
        directory.add({ id: 'ep_kill', tenant: 'wh_kill', url: endpoint, secrets: [secret], eventTypes: [] });
        // Past the dead worker's lease (twice its 10 s timeout), without waiting for it.
        const worker = new WebhookWorker({
          store: storeOf(economy),
          endpoints: directory,
          allowLoopback: true,
          now: () => new Date(Date.now() + 25_000),
        });
        await drain(worker);
        await worker.stop();
        const log = await storeOf(economy).listDeliveries('wh_kill', { limit: 10 });
        expect(log.map((d) => [d.type, d.status])).toEqual([
          ['member.paid', 'delivered'],
          ['faucet.claimed', 'delivered'],
        ]);
        // At least once: each event reached the receiver again after the kill, verified, same webhook-id.
        const ids = receiver.at('/kill').map((r) => r.id);
        expect(ids).toHaveLength(4);
        expect(new Set(ids)).toEqual(new Set(log.map((d) => d.eventId)));
        expect(receiver.at('/kill').every((r) => r.verified)).toBe(true);
      } finally {
        child.kill();
        await economy.close();
      }
    }, 60_000);
  });
}
