import { Agent, request as httpRequest } from 'node:http';

/** What the clients run: the bare transport (`floor`) or one of API v1's operations. */
export type Op = 'floor' | 'balance' | 'pay' | 'claim';
export type ClientKind = 'http' | 'fetch';

/** Where the clients send, fixed for a whole bench run. */
export interface LoadTarget {
  /** `${server}/api/v1/tenants/${tenantId}` */
  base: string;
  /** The bare node:http server answering `{}`. */
  floorUrl: string;
  keys: string[];
  /** Members 1,000,000 … 1,000,000 + payers − 1 are funded. */
  payers: number;
  clients: number;
  client: ClientKind;
}

/** One workload's outcome, seen from the clients. */
export interface LoadResult {
  requests: number;
  statuses: Record<string, number>;
  seconds: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  /** CPU (user + system) of the process the clients ran in, over the workload, in µs. */
  cpuUs: number;
}

type Statuses = Record<string, number>;

/** One request's status, its body read to the end. */
type Send = (
  url: string,
  o?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<number>;

const sendFetch: Send = async (url, o = {}) => {
  const response = await fetch(url, o);
  await response.arrayBuffer();
  return response.status;
};

/** node:http over keep-alive connections, one per client: about half the CPU of fetch per request. */
function httpSender(clients: number): { send: Send; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const send: Send = (url, o = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(url, { method: o.method ?? 'GET', headers: o.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(o.body);
    });
  return { send, close: () => agent.destroy() };
}

/**
 * The bench's clients: `run` drives one workload for `ms`, either as `clients` concurrent request loops or
 * at a fixed rate.
 * Idempotency keys and claimants are numbered across the whole run, so no request replays another.
 */
export function createLoad(target: LoadTarget): {
  /** Closed loop (`clients` concurrent loops) unless `rate` (requests/s) asks for an open one. */
  run(op: Op, keyCount: number, ms: number, rate?: number): Promise<LoadResult>;
  close(): void;
} {
  const http = httpSender(target.clients);
  const send = target.client === 'fetch' ? sendFetch : http.send;
  let sequence = 0;
  const { base, payers } = target;

  function request(op: Op, key: string): Promise<number> {
    const n = sequence++;
    if (op === 'floor') return send(target.floorUrl);
    const headers = { authorization: `Bearer ${key}`, 'idempotency-key': `bench-${n}` };
    if (op === 'balance') return send(`${base}/members/${1_000_000 + (n % payers)}/balance`, { headers });
    if (op === 'claim')
      return send(`${base}/members/${2_000_000 + n}/claims/work`, { method: 'POST', headers });
    const from = 1_000_000 + (n % payers);
    const to = 1_000_000 + ((n * 7 + 1) % payers);
    return send(`${base}/payments`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ from: `${from}`, to: `${to === from ? to + 1 : to}`, amount: '1' }),
    });
  }

  /** `clients` loops, each sending its next request when its last one is answered (closed loop). */
  async function closedLoop(
    op: Op,
    keyCount: number,
    until: number,
    latencies: number[],
    statuses: Statuses,
  ) {
    await Promise.all(
      Array.from({ length: target.clients }, async (_, c) => {
        let i = 0;
        while (performance.now() < until) {
          const key = target.keys[keyCount <= 1 ? 0 : (c * 31 + i++) % keyCount] as string;
          const t = performance.now();
          const status = await request(op, key);
          latencies.push(performance.now() - t);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
  }

  /**
   * Requests sent on a fixed schedule, `rate` a second, whether or not earlier ones were answered (open
   * loop), each timed from when it was due: a slow answer cannot hold back the requests behind it and so
   * hide its own delay (coordinated omission). Past `clients` in flight, requests wait for a connection,
   * and that wait counts too.
   */
  async function openLoop(
    op: Op,
    keyCount: number,
    until: number,
    rate: number,
    latencies: number[],
    statuses: Statuses,
  ) {
    const started = performance.now();
    const inFlight: Array<Promise<void>> = [];
    let sent = 0;
    while (performance.now() < until) {
      const due = Math.floor(((performance.now() - started) * rate) / 1000) + 1;
      for (; sent < due; sent++) {
        const at = started + (sent * 1000) / rate;
        const key = target.keys[keyCount <= 1 ? 0 : (sent * 31) % keyCount] as string;
        inFlight.push(
          request(op, key).then((status) => {
            latencies.push(performance.now() - at);
            statuses[status] = (statuses[status] ?? 0) + 1;
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(inFlight);
  }

  async function run(op: Op, keyCount: number, ms: number, rate?: number): Promise<LoadResult> {
    const latencies: number[] = [];
    const statuses: Statuses = {};
    const until = performance.now() + ms;
    const cpu = process.cpuUsage();
    const started = performance.now();
    if (rate === undefined) await closedLoop(op, keyCount, until, latencies, statuses);
    else await openLoop(op, keyCount, until, rate, latencies, statuses);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      requests: latencies.length,
      statuses,
      seconds,
      p50ms: Number(at(0.5).toFixed(1)),
      p99ms: Number(at(0.99).toFixed(1)),
      maxMs: Number((latencies.at(-1) ?? 0).toFixed(1)),
      cpuUs: used.user + used.system,
    };
  }

  return { run, close: http.close };
}
