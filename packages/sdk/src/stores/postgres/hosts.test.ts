import { describe, expect, it } from 'vitest';
import { ErrorCode, GuildmintError } from '../../errors.js';
import { PostgresHosts } from './hosts.js';

describe('PostgresHosts', () => {
  it('keeps a one-host URL as it is', () => {
    const hosts = new PostgresHosts('postgres://postgres@127.0.0.1:5432/test?sslmode=disable');
    expect(hosts.urls).toEqual(['postgres://postgres@127.0.0.1:5432/test?sslmode=disable']);
    expect(hosts.several).toBe(false);
    hosts.failed(hosts.current());
    expect(hosts.current()).toBe(hosts.urls[0]);
  });

  it('splits a multi-host URL into one URL per host, with the user, database and other parameters', () => {
    const hosts = new PostgresHosts(
      'postgresql://app:s%40cret@10.0.0.1:5432,10.0.0.2,[::1]:5433/ledger?target_session_attrs=read-write&application_name=bot',
    );
    expect(hosts.urls).toEqual([
      'postgresql://app:s%40cret@10.0.0.1:5432/ledger?application_name=bot',
      'postgresql://app:s%40cret@10.0.0.2/ledger?application_name=bot',
      'postgresql://app:s%40cret@[::1]:5433/ledger?application_name=bot',
    ]);
    expect(hosts.several).toBe(true);
    expect(new PostgresHosts('postgres://h1,h2/db?target_session_attrs=primary').urls).toEqual([
      'postgres://h1/db',
      'postgres://h2/db',
    ]);
  });

  it('moves past a failed host, once however many connections to it fail', () => {
    const hosts = new PostgresHosts('postgres://a:1,b:2,c:3/db');
    const first = hosts.current();
    hosts.failed(first);
    hosts.failed(first); // a second connection to the same dead host must not skip b
    expect(hosts.current()).toBe('postgres://b:2/db');
    hosts.failed('postgres://b:2/db');
    hosts.failed('postgres://c:3/db');
    expect(hosts.current()).toBe('postgres://a:1/db');
  });

  it('refuses what it cannot honour with INVALID_INPUT', () => {
    for (const url of ['postgres://a,b/db?target_session_attrs=read-only', 'postgres://a,,b/db']) {
      let caught: unknown;
      try {
        new PostgresHosts(url);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GuildmintError);
      expect((caught as GuildmintError).code).toBe(ErrorCode.INVALID_INPUT);
    }
  });
});
