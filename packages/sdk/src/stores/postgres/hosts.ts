import { invalidInput } from '../../errors.js';

/**
 * The servers a PostgreSQL URL names, one URL each, and which of them to connect to next.
 *
 * `postgres://user@10.0.0.1:5432,10.0.0.2:5432,10.0.0.3/db?target_session_attrs=read-write` names a
 * highly available cluster (pg_auto_failover, Patroni): libpq's multi-host form, which node-postgres
 * does not read. The store always writes, so with several hosts it connects only to the one that
 * accepts writes, as `target_session_attrs=read-write` asks: a host that refuses the connection or
 * turns out to be a standby is marked failed and the next one is tried, and the store's retries (with
 * the same idempotency keys) carry a caller across a failover.
 */
export class PostgresHosts {
  /** One URL per host, in the order given. */
  readonly urls: readonly string[];
  private next = 0;

  constructor(url: string) {
    this.urls = splitHosts(url);
  }

  /** Whether the URL names several servers (only then is each connection checked for a primary). */
  get several(): boolean {
    return this.urls.length > 1;
  }

  /** The URL a new connection should use: the last host that worked, or the next one after a failure. */
  current(): string {
    return this.urls[this.next]!;
  }

  /** A connection to `url` failed or reached a standby: later connections try the host after it. */
  failed(url: string): void {
    const index = this.urls.indexOf(url);
    if (index === this.next) this.next = (index + 1) % this.urls.length;
  }
}

const MULTI_HOST = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/;
const SESSION_ATTRS = new Set(['read-write', 'primary', 'any']);

/** `scheme://userinfo@h1:p1,h2:p2/rest` → one URL per host; a single host comes back as it was. */
function splitHosts(url: string): string[] {
  const match = MULTI_HOST.exec(url);
  if (!match || !match[3]!.includes(',')) return [url];
  const [, scheme, userinfo = '', hostList, rest] = match;
  const attrs = /[?&]target_session_attrs=([^&#]*)/.exec(rest!)?.[1];
  if (attrs !== undefined && !SESSION_ATTRS.has(attrs)) {
    throw invalidInput(
      'url',
      `target_session_attrs=${attrs} is not supported: the store writes, so it connects to the read-write host`,
    );
  }
  // node-postgres does not know target_session_attrs; the host choice above stands for it.
  const tail = rest!.replace(/([?&])target_session_attrs=[^&#]*&?/, '$1').replace(/[?&]$/, '');
  return hostList!.split(',').map((host) => {
    if (!host) throw invalidInput('url', 'a PostgreSQL URL names an empty host between commas');
    return `${scheme}${userinfo}${host}${tail}`;
  });
}
