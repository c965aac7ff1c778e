import type { AddressInfo } from 'node:net';
import { newWebhookSecret, WebhookSender } from '@guildmint/sdk/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver, type GuildmintEvent } from './receiver.js';

describe('the example webhook receiver', () => {
  const secret = newWebhookSecret();
  const accepted: Array<[string, GuildmintEvent]> = [];
  const server = createReceiver(secret, (event, id) => accepted.push([id, event]));
  const sender = new WebhookSender({ allowLoopback: true });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });
  afterAll(() => {
    sender.close();
    server.close();
  });

  it('accepts what Guildmint signs (once per id), and refuses forged and stale requests', async () => {
    const body = JSON.stringify({
      type: 'member.paid',
      timestamp: '2026-01-01T00:00:00.000Z',
      tenant: 't',
      data: { amount: '5' },
    });
    const send = (o: { id: string; secrets?: string[]; at?: Date; body?: string }) =>
      sender.send({
        url,
        secrets: o.secrets ?? [secret],
        id: o.id,
        body: o.body ?? body,
        at: o.at ?? new Date(),
      });
    expect((await send({ id: 'msg_1' })).status).toBe(204);
    expect((await send({ id: 'msg_1' })).status).toBe(204); // delivered again: handled once
    // During a rotation both secrets sign: the receiver knowing either verifies.
    expect((await send({ id: 'msg_2', secrets: [newWebhookSecret(), secret] })).status).toBe(204);
    expect((await send({ id: 'msg_3', secrets: [newWebhookSecret()] })).status).toBe(401);
    expect((await send({ id: 'msg_4', at: new Date(Date.now() - 10 * 60_000) })).status).toBe(401);
    expect(accepted.map(([id, e]) => [id, e.data.amount])).toEqual([
      ['msg_1', '5'],
      ['msg_2', '5'],
    ]);
  });
});
