import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlanePackShop } from '../src/packs.js';
import { type Rig, said, startRig } from './support/harness.js';

// `/buy pack:` and `/shop` through discord.js and the Discord simulator, with the runtime's real HTTP client
// talking to a stand-in for the control plane's `POST /api/internal/packs` (the real endpoint, with Stripe
// behind it, is tested with this same client in the control plane's packs suite).

const SECRET = 'k'.repeat(40);
const CHECKOUT_URL = 'http://127.0.0.1:1/c/pay/cs_test_1';

let rig: Rig;
let server: Server;
const asked: unknown[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { action: string; pack?: string };
    asked.push({ auth: req.headers.authorization, ...body });
    const answer =
      body.action === 'list'
        ? {
            status: 200,
            json: {
              packs: [{ name: 'gold', unitAmount: 499, currency: 'usd', coins: '1000', perMemberPerDay: 2 }],
            },
          }
        : body.pack === 'gold'
          ? {
              status: 200,
              json: { url: CHECKOUT_URL, expiresAt: new Date(Date.now() + 1_800_000).toISOString() },
            }
          : {
              status: 404,
              json: { error: { code: 'NOT_FOUND', message: `no pack named ${body.pack} is on sale here` } },
            };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rig = await startRig({ runtime: { packs: new ControlPlanePackShop({ url, secret: SECRET }) } });
});

afterAll(async () => {
  await rig?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('end to end: currency packs through discord.js and the simulator', () => {
  it('/shop lists the packs; /buy pack: gives an ephemeral Checkout link and moves no coins', async () => {
    expect(said(await rig.slash('shop'))).toMatch(/💳 gold — \$4\.99 for 🪙 1,000[\s\S]*`\/buy pack:gold`/);
    const link = await rig.slash('buy', { pack: 'gold' }, rig.bob);
    expect(link.ephemeral).toBe(true);
    expect(said(link)).toContain(`(${CHECKOUT_URL})`);
    expect(await rig.balance(rig.bob)).toBe(0n);
    expect(asked).toContainEqual({
      auth: `Bearer ${SECRET}`,
      action: 'checkout',
      guildId: rig.guild.id,
      memberId: rig.bob,
      pack: 'gold',
    });
    const refused = await rig.slash('buy', { pack: 'silver' }, rig.bob);
    expect(refused.ephemeral).toBe(true);
    expect(said(refused)).toMatch(/No pack named silver is on sale here/);
  });
});
