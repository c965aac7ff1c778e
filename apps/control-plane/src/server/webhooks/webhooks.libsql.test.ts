import { WebhookWorker } from '@guildmint/sdk/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestReceiver } from '../../../../../packages/sdk/test/webhooks/receiver';
import { trpcCode } from '../../../test/support/expect';
import { createHarness, type Harness, onboarded } from '../../../test/support/harness';
import { endpointDirectory } from './endpoints';
import { syncEventRecording } from './index';

/** Endpoints through the owner's router, delivered by the worker to a receiver that verifies them. */
describe('webhook endpoints (libSQL)', () => {
  let h: Harness;
  const receiver = new TestReceiver();
  beforeAll(async () => {
    h = await createHarness('libsql');
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await h.close();
  });

  const drain = async (worker: WebhookWorker) => {
    for (let i = 0; i < 20; i++) if ((await worker.runOnce()) === 0) return;
  };

  it('creates an endpoint (secret shown once), delivers signed events to it, logs and replays them', async () => {
    const { tenantId, caller } = await onboarded(h);
    const created = await caller.webhooks.create({
      tenantId,
      url: `${receiver.url}/owner`,
      eventTypes: ['member.paid'],
    });
    expect(created.secret).toMatch(/^whsec_/);
    receiver.endpoint('/owner', created.secret);
    const listed = await caller.webhooks.list({ tenantId });
    expect(listed).toEqual([
      expect.objectContaining({ id: created.endpoint.id, enabled: true, eventTypes: ['member.paid'] }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const tenant = h.economy.tenant(tenantId);
    await tenant.claim('daily', '300000000000000001');
    await tenant.pay({ from: '300000000000000001', to: '300000000000000002', amount: 5n });
    const worker = new WebhookWorker({
      store: h.services.webhooks.outbox,
      endpoints: endpointDirectory(h.services.webhooks.endpoints, { now: () => new Date() }),
      allowLoopback: true,
    });
    await drain(worker);
    const got = receiver.at('/owner');
    expect(got.map((r) => [JSON.parse(r.body).type, r.verified])).toEqual([['member.paid', true]]);

    const log = await caller.webhooks.deliveries({ tenantId });
    expect(log).toEqual([
      expect.objectContaining({ status: 'delivered', lastStatus: 204, type: 'member.paid' }),
    ]);
    const attempts = await caller.webhooks.attempts({
      tenantId,
      endpointId: created.endpoint.id,
      eventId: log[0]!.eventId,
    });
    expect(attempts).toHaveLength(1);

    // Rotation: the new secret is shown once; both sign until the old one expires.
    const rotated = await caller.webhooks.rotate({ tenantId, id: created.endpoint.id });
    receiver.endpoint('/owner', rotated.secret);
    expect((await caller.webhooks.list({ tenantId }))[0]!.rotating).toBe(true);
    expect(await caller.webhooks.replay({ tenantId, since: new Date(0) })).toEqual({ replayed: 1 });
    await drain(worker);
    expect(receiver.at('/owner').map((r) => [r.id, r.verified])).toEqual([
      [log[0]!.eventId, true],
      [log[0]!.eventId, true],
    ]);
    await worker.stop();
  });

  it('records events only while the tenant has an enabled endpoint: none from onboarding, none after the last goes', async () => {
    const { tenantId, caller } = await onboarded(h);
    const { outbox } = h.services.webhooks;
    // The tenant's events written since the last look (marked done, so each look sees only new ones).
    const recorded = async () => {
      const now = new Date();
      const mine = (await outbox.claimEvents(1_000, now, now)).filter((e) => e.tenant === tenantId);
      await outbox.dispatchEvents(mine, [], now);
      return mine.map((e) => e.type);
    };
    const tenant = h.economy.tenant(tenantId);
    const member = '300000000000000011';
    const pay = () => tenant.pay({ from: member, to: '300000000000000012', amount: 1n });
    await tenant.claim('daily', member);
    expect(await recorded()).toEqual([]);

    const { endpoint } = await caller.webhooks.create({ tenantId, url: `${receiver.url}/switch` });
    await pay();
    expect(await recorded()).toEqual(['member.paid']);
    await caller.webhooks.update({ tenantId, id: endpoint.id, enabled: false });
    await pay();
    expect(await recorded()).toEqual([]);
    await caller.webhooks.update({ tenantId, id: endpoint.id, enabled: true });
    await pay();
    expect(await recorded()).toEqual(['member.paid']);
    await caller.webhooks.delete({ tenantId, id: endpoint.id });
    await pay();
    expect(await recorded()).toEqual([]);
    // The money moved every time.
    expect(await tenant.balance('300000000000000012')).toBe(4n);
  });

  it('turns events off when the worker disables the last endpoint', async () => {
    const { tenantId, caller } = await onboarded(h);
    const { endpoint, secret } = await caller.webhooks.create({ tenantId, url: `${receiver.url}/gone` });
    receiver.endpoint('/gone', secret, [410]);
    const tenant = h.economy.tenant(tenantId);
    await tenant.claim('daily', '300000000000000021');
    const worker = new WebhookWorker({
      store: h.services.webhooks.outbox,
      endpoints: endpointDirectory(h.services.webhooks.endpoints, {
        now: () => new Date(),
        disabled: (e) => syncEventRecording(h.services.webhooks, e.tenant),
      }),
      allowLoopback: true,
    });
    await drain(worker);
    expect((await caller.webhooks.list({ tenantId }))[0]).toMatchObject({ id: endpoint.id, enabled: false });
    await tenant.pay({ from: '300000000000000021', to: '300000000000000022', amount: 1n });
    const pending = await h.services.webhooks.outbox.claimEvents(1_000, new Date(), new Date());
    expect(pending.filter((e) => e.tenant === tenantId)).toEqual([]);
    await worker.stop();
  });

  it('refuses private addresses and non-https URLs, holds to the plan, and keeps other tenants out', async () => {
    const { tenantId, caller } = await onboarded(h);
    for (const url of [
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest',
      'ftp://example.com/x',
      'https://[::ffff:192.168.0.1]/',
    ]) {
      expect([url, await trpcCode(caller.webhooks.create({ tenantId, url }))]).toEqual([url, 'BAD_REQUEST']);
    }
    await caller.webhooks.create({ tenantId, url: `${receiver.url}/one` });
    // The free plan allows one endpoint.
    expect(await trpcCode(caller.webhooks.create({ tenantId, url: `${receiver.url}/two` }))).toBe(
      'PAYMENT_REQUIRED',
    );

    const other = await onboarded(h);
    const [mine] = await caller.webhooks.list({ tenantId });
    expect(await trpcCode(other.caller.webhooks.delete({ tenantId: other.tenantId, id: mine!.id }))).toBe(
      'NOT_FOUND',
    );
    expect(await other.caller.webhooks.deliveries({ tenantId: other.tenantId })).toEqual([]);
    expect(await caller.webhooks.delete({ tenantId, id: mine!.id })).toEqual({ deleted: true });
    expect(await caller.webhooks.list({ tenantId })).toEqual([]);
  });
});
