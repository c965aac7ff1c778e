import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A member as UnbelievaBoat's API reports one (its amounts are JSON numbers; cash may be negative). */
export interface FakeUser {
  user_id: string;
  cash: number;
  bank: number;
}

/**
 * A loopback fake of UnbelievaBoat's documented API (https://unbelievaboat.com/api/docs, as its own
 * client unb-api reads it): `GET /v1/guilds/{guild}/users?page=&limit=` answering
 * `{ users: [{ rank, user_id, cash, bank, total }], total_pages }` sorted by total, the token in the
 * `Authorization` header, `X-RateLimit-Limit/Remaining/Reset` on every answer, and 429 with
 * `Retry-After` and `retry_after` (milliseconds) when a window's budget is spent or a test asks for one.
 */
export class UnbelievaBoatFake {
  readonly guilds = new Map<string, FakeUser[]>();
  /** Every request, in order: path with query, and whether it was answered 429. */
  readonly requests: Array<{ path: string; status: number }> = [];
  /** Answer the next N requests 429 whatever the budget. */
  forced429 = 0;
  /** Requests allowed per window, and the window's length in ms. */
  limit = 20;
  windowMs = 1_000;
  retryAfterMs = 50;
  private windowStart = 0;
  private used = 0;

  private constructor(
    private readonly server: Server,
    readonly token: string,
    private readonly now: () => number,
  ) {}

  static async start(o: { token?: string; now?: () => number } = {}): Promise<UnbelievaBoatFake> {
    let fake: UnbelievaBoatFake | undefined;
    const server = createServer((req, res) => fake!.handle(req, res));
    fake = new UnbelievaBoatFake(server, o.token ?? 'unb-test-token', o.now ?? Date.now);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A guild and its members' balances. */
  addGuild(guildId: string, users: FakeUser[]): void {
    this.guilds.set(guildId, users);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ path: `${url.pathname}${url.search}`, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    const limits = () => ({
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
      'x-ratelimit-reset': String(this.windowStart + this.windowMs),
    });
    if (req.headers.authorization !== this.token) return send(401, { error: '401: Unauthorized' });
    if (this.forced429 > 0 || this.used >= this.limit) {
      const forced = this.forced429 > 0;
      if (forced) this.forced429--;
      const wait = forced ? this.retryAfterMs : this.windowStart + this.windowMs - now;
      return send(
        429,
        { message: 'You are being rate limited.', retry_after: wait },
        { ...limits(), 'retry-after': String(wait) },
      );
    }
    this.used++;
    const match = /^\/v1\/guilds\/(\d{1,20})\/users\/?$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return send(404, { error: '404: Not Found' }, limits());
    const users = this.guilds.get(match[1]!);
    if (!users) return send(404, { error: 'Unknown Guild' }, limits());
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 1000), 1000);
    const page = Number(url.searchParams.get('page') ?? 1);
    const sorted = [...users]
      .map((u) => ({ ...u, total: u.cash + u.bank }))
      .sort((a, b) => b.total - a.total || (a.user_id < b.user_id ? -1 : 1));
    const slice = sorted.slice((page - 1) * limit, page * limit).map((u, i) => ({
      rank: String((page - 1) * limit + i + 1),
      ...u,
    }));
    send(200, { users: slice, total_pages: Math.max(1, Math.ceil(sorted.length / limit)) }, limits());
  }
}
