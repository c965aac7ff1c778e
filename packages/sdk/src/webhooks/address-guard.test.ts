import { describe, expect, it } from 'vitest';
import { assertWebhookUrl, refusedAddress } from './address-guard.js';
import { WebhookSender } from './deliver.js';
import { nextRetry, RETRY_SCHEDULE_MS } from './schedule.js';

const production = { allowLoopback: false };
const development = { allowLoopback: true };

describe('the SSRF guard', () => {
  it('refuses private, link-local, loopback and reserved addresses, IPv4-mapped ones included', () => {
    for (const address of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '127.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ]) {
      expect([address, refusedAddress(address, production)]).toEqual([address, expect.any(String)]);
    }
    for (const address of ['93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect([address, refusedAddress(address, production)]).toEqual([address, null]);
    }
    // The development flag lets loopback through, never the private networks.
    expect(refusedAddress('127.0.0.1', development)).toBeNull();
    expect(refusedAddress('::1', development)).toBeNull();
    expect(refusedAddress('10.0.0.1', development)).not.toBeNull();
  });

  it('checks URLs when saved: https only, no credentials, a host resolving to public addresses', async () => {
    await expect(assertWebhookUrl('http://example.com/hook', production)).rejects.toThrow(/https/);
    await expect(assertWebhookUrl('https://user:pw@example.com/', production)).rejects.toThrow(/password/);
    await expect(assertWebhookUrl('https://localhost/hook', production)).rejects.toThrow(/loopback/);
    await expect(assertWebhookUrl('https://[::ffff:a00:1]/', production)).rejects.toThrow(/private/);
    expect((await assertWebhookUrl('http://127.0.0.1:8080/hook', development)).href).toBe(
      'http://127.0.0.1:8080/hook',
    );
  });

  it('checks the address actually dialled: a name that resolves to loopback is refused at delivery', async () => {
    // `localhost` stands for a public name rebound to 127.0.0.1 after the URL was saved.
    const sender = new WebhookSender(production, 2_000);
    try {
      for (const url of ['https://localhost:9/hook', 'https://127.0.0.1:9/hook']) {
        const answer = await sender.send({ url, secrets: [], id: 'msg_x', body: '{}', at: new Date() });
        expect(answer).toMatchObject({ status: null, error: expect.stringMatching(/refused: .*loopback/) });
      }
    } finally {
      sender.close();
    }
  });
});

describe('the retry schedule', () => {
  it('tries at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then gives up', () => {
    const at = new Date(0);
    const delays: number[] = [];
    for (let step = 0, next = nextRetry(step, at); next; step = next.step, next = nextRetry(step, at)) {
      delays.push(next.at.getTime());
    }
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(RETRY_SCHEDULE_MS).toHaveLength(8);
  });
});
