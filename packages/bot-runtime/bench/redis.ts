import { connect, type Socket } from 'node:net';

type RespValue = string | number | null | RespValue[];

/**
 * A minimal RESP2 client for the benchmark's own bookkeeping (server CPU, removing its keys): this package
 * does not depend on a Redis client, and the runtime's own client is inside the SDK.
 */
export class TinyRedis {
  private buffer = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve(v: RespValue): void; reject(e: Error): void }> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const parsed = parse(this.buffer, 0);
        if (!parsed) break;
        this.buffer = this.buffer.subarray(parsed.end);
        const waiter = this.waiting.shift();
        if (parsed.value instanceof Error) waiter?.reject(parsed.value);
        else waiter?.resolve(parsed.value);
      }
    });
    socket.on('error', (error) => {
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    });
  }

  static connect(url: string): Promise<TinyRedis> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) }, () => {
        socket.off('error', reject);
        resolve(new TinyRedis(socket));
      });
      socket.once('error', reject);
    });
  }

  command(...args: string[]): Promise<RespValue> {
    const parts = [`*${args.length}\r\n`];
    for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(parts.join(''));
    });
  }

  /** Cumulative CPU ms of the Redis server (all clients: other work on the server counts too). */
  async cpuMs(): Promise<number> {
    const info = String(await this.command('INFO', 'cpu'));
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
  }

  /** Deletes every key starting with `prefix`; returns how many. */
  async deletePrefix(prefix: string): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = (await this.command('SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000')) as [
        string,
        string[],
      ];
      cursor = next;
      if (keys.length > 0) deleted += Number(await this.command('DEL', ...keys));
    } while (cursor !== '0');
    return deleted;
  }

  close(): void {
    this.socket.end();
  }
}

function parse(buffer: Buffer, start: number): { value: RespValue | Error; end: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[start]!);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: after };
    case '-':
      return { value: new Error(line), end: after };
    case ':':
      return { value: Number(line), end: after };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: after };
      if (buffer.length < after + length + 2) return undefined;
      return { value: buffer.toString('utf8', after, after + length), end: after + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: after };
      const items: RespValue[] = [];
      let end = after;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, end);
        if (!item) return undefined;
        if (item.value instanceof Error) return item;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      return { value: new Error(`unexpected RESP type ${type}`), end: buffer.length };
  }
}
