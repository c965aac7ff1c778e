import { describe, expect, it } from 'vitest';
import { ErrorCode, GuildmintError, InternalError, RetryLaterError, ValidationError } from '../errors.js';
import { decodeError } from './http.js';
import { createRemoteEconomy } from './index.js';
import { reviveJson } from './revive.js';

const TENANT = '123456789012345678';
const error = (body: unknown) => JSON.stringify({ error: body });

/** A fetch that answers from a list and records what it was sent. */
function scripted(answers: Array<Response | Error>) {
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { sent, fetch };
}

const economyOn = (fetch: typeof globalThis.fetch) =>
  createRemoteEconomy({
    url: 'http://api.test/',
    apiKey: 'gm_test_key',
    tenantId: TENANT,
    fetch,
    retry: { attempts: 3, budgetMs: 2_000 },
  });

describe('remote client, without a server', () => {
  it('turns API v1 errors into the SDK’s', () => {
    const cooldown = decodeError(
      429,
      error({ code: 'COOLDOWN', message: 'wait', retryAt: '2026-01-01T00:00:00.000Z' }),
    );
    expect(cooldown).toBeInstanceOf(RetryLaterError);
    expect((cooldown as RetryLaterError).retryAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const invalid = decodeError(
      400,
      error({ code: 'INVALID_INPUT', message: 'bad', issues: [{ path: 'to', message: 'required' }] }),
    );
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).issues).toEqual([{ path: 'to', message: 'required' }]);
    const internal = decodeError(500, error({ code: 'INTERNAL', message: 'oops', id: 'err_1' }));
    expect(internal).toBeInstanceOf(InternalError);
    expect((internal as InternalError).id).toBe('err_1');
    expect(
      (decodeError(401, error({ code: 'UNAUTHORIZED', message: 'no key' })) as GuildmintError).code,
    ).toBe(ErrorCode.FORBIDDEN);
    expect(
      (decodeError(402, error({ code: 'INSUFFICIENT_FUNDS', message: 'poor' })) as GuildmintError).code,
    ).toBe(ErrorCode.INSUFFICIENT_FUNDS);
    // Not a GuildmintError: the client retries it or answers STORE_UNAVAILABLE.
    expect(decodeError(502, '<html>bad gateway</html>')).not.toBeInstanceOf(GuildmintError);
  });

  it('revives amounts and times, and leaves stored JSON and other strings alone', () => {
    const revived = reviveJson(
      JSON.stringify({
        userId: '42',
        amount: '250',
        createdAt: '2026-03-02T10:00:00.000Z',
        metadata: { amount: '7' },
        items: [{ balance: '-3', count: 2 }],
      }),
    );
    expect(revived).toEqual({
      userId: '42',
      amount: 250n,
      createdAt: new Date('2026-03-02T10:00:00.000Z'),
      metadata: { amount: '7' },
      items: [{ balance: -3n, count: 2 }],
    });
  });

  it('serves only its tenant', () => {
    const economy = economyOn(scripted([]).fetch);
    expect(() => economy.tenant('999')).toThrow(expect.objectContaining({ code: ErrorCode.FORBIDDEN }));
  });

  it('sends amounts as strings under the tenant’s path, with the key it made', async () => {
    const { sent, fetch } = scripted([
      new Error('socket hang up'),
      Response.json({ id: 'p1', amount: '5', tax: '0', fee: '0', transfers: [], replayed: true }),
    ]);
    const receipt = await economyOn(fetch).tenant(TENANT).pay({ from: '1', to: '2', amount: 5n });
    expect(receipt.amount).toBe(5n);
    expect(sent.map((s) => s.url)).toEqual([
      `http://api.test/api/v1/tenants/${TENANT}/payments`,
      `http://api.test/api/v1/tenants/${TENANT}/payments`,
    ]);
    expect(JSON.parse(String(sent[0]?.init.body))).toEqual({ from: '1', to: '2', amount: '5' });
    const keys = sent.map((s) => (s.init.headers as Record<string, string>)['idempotency-key']);
    expect(keys[0]).toMatch(/^remote_/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('lets calls already sent finish on close(), then refuses new ones without sending them', async () => {
    let answer: (r: Response) => void = () => {};
    const sent: string[] = [];
    const fetch = ((url: string) => {
      sent.push(url);
      return new Promise<Response>((resolve) => {
        answer = resolve;
      });
    }) as unknown as typeof globalThis.fetch;
    const economy = economyOn(fetch);
    const pending = economy.tenant(TENANT).balance('1');
    await Promise.resolve();
    const closed = economy.close();
    answer(Response.json({ userId: '1', balance: '9' }));
    await closed;
    expect(await pending).toBe(9n);
    const refused = await economy
      .tenant(TENANT)
      .balance('1')
      .catch((e: unknown) => e);
    expect((refused as GuildmintError).code).toBe(ErrorCode.STORE_UNAVAILABLE);
    expect(sent).toHaveLength(1);
  });

  it('does not send an unkeyed write again once it may have arrived', async () => {
    const { sent, fetch } = scripted([new Error('socket hang up'), Response.json({ version: 2 })]);
    const failed = await economyOn(fetch)
      .tenant(TENANT)
      .configure({} as never)
      .catch((e: unknown) => e);
    expect((failed as GuildmintError).code).toBe(ErrorCode.STORE_UNAVAILABLE);
    expect(sent).toHaveLength(1);
  });
});
