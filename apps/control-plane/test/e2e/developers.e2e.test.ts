import { randomBytes } from 'node:crypto';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicApiRouter } from '../../src/server/public-api/trpc-router';
import { freePort, startApp } from '../support/app-server';
import { type BrowserApp, startBrowserApp } from '../support/browser-app';

/**
 * The developers page in Chromium against `next build && next start`: the guild's owner creates an API
 * key, sees it once (with a copy button), uses it against the real API v1 routes (JSON and tRPC), and revokes it, after which the API refuses it. The bot's presence is reported straight into the economy store (no runtime):
 * this test is about keys, not about adding the bot.
 */

const OWNER_ID = '420000000000000001';

describe('developers page in a browser', () => {
  let b: BrowserApp;
  let app: BrowserApp['app'];
  let page: Page;
  let guildId: string;

  beforeAll(async () => {
    b = await startBrowserApp({ ownerId: OWNER_ID, ownerName: 'Key Owner', guildName: 'Key Guild' });
    ({ app, page, guildId } = b);
    await b.economy.tenant(guildId).grant('500000000000000001', 70n, { reason: 'seed', actor: 'test' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  }, 300_000);

  afterAll(async () => {
    await b?.close();
  });

  const balance = (key: string, base = app.url) =>
    fetch(`${base}/api/v1/tenants/${guildId}/members/500000000000000001/balance`, {
      headers: { authorization: `Bearer ${key}` },
    });

  /** A member's balance through API v1's tRPC route. (Its procedures are made from a table, trpc-router.ts, so their client is typed loosely.) */
  const trpcBalance = (key: string, base = app.url) => {
    const client = createTRPCClient<PublicApiRouter>({
      links: [httpLink({ url: `${base}/api/v1/trpc`, headers: { authorization: `Bearer ${key}` } })],
    }) as unknown as Record<string, { query(input: unknown): Promise<unknown> }>;
    return client.balance?.query({ tenantId: guildId, userId: '500000000000000001' });
  };

  it('creates a key shown once, which the API accepts until it is revoked', async () => {
    await b.onboard();

    await page.getByRole('link', { name: 'Developers' }).click();
    await page.getByRole('heading', { name: 'Developers' }).waitFor();
    await page.getByText('No API keys yet').waitFor();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('my bot');
    await dialog.getByLabel('write').check();
    await dialog.getByRole('button', { name: 'Create' }).click();

    const shown = page.getByTestId('new-api-key');
    await shown.waitFor();
    const secret = (await shown.textContent()) ?? '';
    expect(secret).toMatch(/^gm_live_[0-9A-Za-z]{36}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await b.snap('developers-created');
    await b.expectAccessible('developers');

    const row = page.locator(`tr[data-prefix="${secret.slice(0, 16)}"]`);
    await row.getByText('read, write').waitFor();
    const accepted = await balance(secret);
    expect([accepted.status, await accepted.json()]).toEqual([
      200,
      { userId: '500000000000000001', balance: '70' },
    ]);
    // The production server answered it before Next's router, with the headers of every other route.
    expect(app.output()).toContain("(API v1 answered before Next's router)");
    expect(accepted.headers.get('content-type')).toBe('application/json');
    expect(accepted.headers.get('ratelimit-limit')).toMatch(/^\d+$/);
    expect(accepted.headers.get('x-frame-options')).toBe('DENY');
    await expect(trpcBalance(secret)).resolves.toMatchObject({ balance: '70' });

    // Shown once: gone after "I have saved it", and not on the page after a reload either.
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await expect(page.getByTestId('new-api-key').count()).resolves.toBe(0);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    await row.getByText('never', { exact: true }).first().waitFor();

    page.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked').waitFor();
    const refused = await balance(secret);
    expect([refused.status, (await refused.json()).error.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('serves API v1 under `next start` too, through its Pages Router routes', async () => {
    const key = await createKeyOnPage('under next start');
    const port = await freePort();
    const plain = await startApp(
      { ...b.sim.oauthEnv(), AUTH_SECRET: randomBytes(32).toString('hex'), GUILDMINT_DATA_DIR: b.dir },
      { port, nextStart: true },
    );
    try {
      const answer = await balance(key, plain.url);
      expect([answer.status, await answer.json()]).toEqual([
        200,
        { userId: '500000000000000001', balance: '70' },
      ]);
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      await expect(trpcBalance(key, plain.url)).resolves.toMatchObject({ balance: '70' });
    } finally {
      await plain.stop();
    }
  });

  /** A read key made on the developers page, as its owner would. */
  async function createKeyOnPage(name: string): Promise<string> {
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByTestId('new-api-key');
    await shown.waitFor();
    const secret = (await shown.textContent()) ?? '';
    await page.getByRole('button', { name: 'I have saved it' }).click();
    return secret;
  }
});
