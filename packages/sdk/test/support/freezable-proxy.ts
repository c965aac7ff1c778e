import { createServer, type Server, Socket } from 'node:net';

/** A loopback TCP proxy to PostgreSQL that can go silent: it keeps every socket open and forwards nothing. */
export class FreezableProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  frozen = false;

  constructor(private readonly upstream: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    if (this.frozen) return;
    const server = new Socket();
    this.sockets.add(server);
    server.connect(this.upstream.port, this.upstream.host);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        if (!this.frozen) to.write(chunk);
      });
    forward(client, server);
    forward(server, client);
    const end = () => {
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
  }
}
