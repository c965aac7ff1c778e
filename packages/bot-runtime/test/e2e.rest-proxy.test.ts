import { createServer, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Rig, said, startRig } from './support/harness.js';

/**
 * A loopback REST forwarder in the place of a shared Discord REST proxy (the kind a fleet of bot processes puts in
 * front of Discord so they share one view of its rate limits): every request goes through it unchanged, and it
 * remembers what it forwarded.
 */
async function restForwarder(
  upstream: string,
): Promise<{ origin: string; seen: string[]; close(): Promise<void> }> {
  const target = new URL(upstream);
  const seen: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${incoming.url}`);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('end to end: REST through a shared proxy (DISCORD_API_URL)', () => {
  let rig: Rig | undefined;
  let forwarder: Awaited<ReturnType<typeof restForwarder>> | undefined;
  afterEach(async () => {
    await rig?.close();
    await forwarder?.close();
    rig = undefined;
    forwarder = undefined;
  });

  it('starts, registers its commands and answers members with every REST call sent through the proxy', async () => {
    const { DiscordSimulator } = await import('@guildmint/discord-simulator');
    const sim = await DiscordSimulator.start();
    try {
      const api = new URL(sim.apiUrl);
      forwarder = await restForwarder(api.origin);
      rig = await startRig({ simulator: sim, runtime: { apiUrl: `${forwarder.origin}${api.pathname}` } });
      expect(said(await rig.slash('daily'))).toMatch(/You received \*\*🪙 200\*\*/);
      expect(said(await rig.slash('pay', { member: rig.bob, amount: 20 }))).toMatch(/Payment sent/);
      expect(await rig.balance(rig.bob)).toBe(20n);
      // Every REST call the simulator served came through the proxy: none went around it.
      expect(sim.calls.length).toBe(forwarder.seen.length);
      const paths = forwarder.seen.map((line) =>
        line.replace(/\d{5,}/g, ':id').replace(/\/[\w-]{20,}\//g, '/:token/'),
      );
      expect(paths).toContain(`GET ${api.pathname}/v10/gateway/bot`);
      expect(paths.some((p) => /^PUT .*\/applications\/:id\/guilds\/:id\/commands$/.test(p))).toBe(true);
      expect(
        paths.filter((p) => /^POST .*\/interactions\/:id\/.+\/callback/.test(p)).length,
      ).toBeGreaterThanOrEqual(2);
    } finally {
      await rig?.close();
      rig = undefined;
      await sim.close();
    }
  });
});
