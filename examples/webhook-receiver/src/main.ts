// Start a receiver, send it one signed webhook as Guildmint does, and one forged: prints what it accepted.
import type { AddressInfo } from 'node:net';
import { newWebhookSecret, WebhookSender } from '@guildmint/sdk/webhooks';
import { createReceiver } from './receiver.js';

const secret = process.env.WEBHOOK_SECRET ?? newWebhookSecret();
const server = createReceiver(secret, (event, id) => console.log(`accepted ${event.type} ${id}`, event.data));
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;

// Loopback over http is for development only; Guildmint calls https endpoints on public addresses.
const sender = new WebhookSender({ allowLoopback: true });
const body = JSON.stringify({
  type: 'member.paid',
  timestamp: new Date().toISOString(),
  tenant: 'demo',
  data: { from: '1', to: '2', amount: '25' },
});
const signed = await sender.send({ url, secrets: [secret], id: 'msg_demo1', body, at: new Date() });
console.log('signed delivery answered', signed.status);
const forged = await sender.send({
  url,
  secrets: [newWebhookSecret()],
  id: 'msg_demo2',
  body,
  at: new Date(),
});
console.log('forged delivery answered', forged.status);
sender.close();
server.close();
