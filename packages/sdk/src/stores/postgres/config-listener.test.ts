import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigListener } from './config-listener.js';
import { PostgresHosts } from './hosts.js';

// A server that accepts connections and never says a word: without a connect timeout the listener
// would wait on its first connection forever and never try again.
function silentServer() {
  const sockets: Socket[] = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    for (const w of waiting.filter((w) => sockets.length >= w.count)) w.resolve();
  });
  return {
    listen: () =>
      new Promise<number>((resolve) => {
        server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
      }),
    connections: (count: number) =>
      new Promise<void>((resolve) => {
        if (sockets.length >= count) resolve();
        else waiting.push({ count, resolve });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('ConfigListener', () => {
  it('gives up on a server that never answers and connects again, staying not live', async () => {
    const server = silentServer();
    const port = await server.listen();
    cleanup.push(server.close);
    const listener = new ConfigListener(
      new PostgresHosts(`postgres://postgres@127.0.0.1:${port}/test`),
      'gm_configs',
      50,
    );
    cleanup.push(() => listener.close());
    const live: boolean[] = [];
    listener.add(
      () => {},
      (listening) => live.push(listening),
    );
    // The first attempt times out after 50 ms, the retry comes 250 ms later: a second connection.
    await server.connections(2);
    expect(live).toEqual([]);
  });
});
