import type { Tenant } from '@guildmint/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, startBrowserApp } from '../support/browser-app';
import { UnbelievaBoatFake } from '../support/unbelievaboat-fake';

/**
 * The Import page in Chromium against `next build && next start` (issue 14 §9): a CSV file's dry run
 * shows its totals and writes nothing, the import credits each member once, importing it again changes
 * nothing, a bad row is refused with its line and changes nothing, and the UnbelievaBoat path reads the
 * loopback fake of its API (429s included). The audit log page shows the imports.
 */

const OWNER_ID = '430000000000000001';
const CSV = ['user_id,cash,bank', '330000000000000001,1200,300', '330000000000000002,450,0', ''].join('\n');

describe('Import page in a browser', () => {
  let b: BrowserApp;
  let fake: UnbelievaBoatFake;
  let tenant: Tenant;

  beforeAll(async () => {
    fake = await UnbelievaBoatFake.start();
    b = await startBrowserApp({
      ownerId: OWNER_ID,
      ownerName: 'Import Owner',
      guildName: 'Import Guild',
      env: () => ({ UNBELIEVABOAT_API_URL: fake.url }),
    });
    tenant = b.economy.tenant(b.guildId);
    await b.onboard();
  }, 300_000);

  afterAll(async () => {
    await b?.close();
    await fake?.close();
  });

  /** Everything an import could change: every balance, and the audit log. */
  async function ledgerState() {
    return { balances: await tenant.memberBalances({ limit: 500 }), audit: (await tenant.auditLog()).length };
  }

  async function openImport() {
    await b.page.goto(`${b.app.url}/t/${b.guildId}/import`);
    await b.page.getByRole('heading', { name: 'Import and export' }).waitFor();
  }

  async function chooseCsv(text: string) {
    await b.page.getByRole('radio', { name: 'CSV file' }).check();
    await b.page
      .getByLabel('CSV file (user_id,cash,bank)')
      .setInputFiles({ name: 'balances.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  }

  /** The value next to a term in a totals list. */
  async function total(title: string, term: string): Promise<string> {
    const list = b.page.getByLabel(title, { exact: true });
    await list.waitFor();
    return (
      (await list.getByText(term, { exact: true }).locator('xpath=following-sibling::dd[1]').textContent()) ??
      ''
    );
  }

  /** A totals list shows these values (polled: an earlier job's totals may show until the new ones). */
  async function expectTotals(title: string, expected: Record<string, string>) {
    for (const [term, value] of Object.entries(expected))
      await expect.poll(() => total(title, term), { timeout: 30_000 }).toBe(value);
  }

  /** Runs the dry run and checks its totals. */
  async function dryRunShows(expected: Record<string, string>) {
    await b.page.getByRole('button', { name: 'Dry run: show totals' }).click();
    await expectTotals('Dry run: nothing written yet', expected);
  }

  /** The import the page follows has finished with these totals. */
  async function finished(expected: Record<string, string>) {
    await b.page.getByText('Import finished').waitFor();
    await expectTotals('So far', expected);
  }

  it('a CSV dry run shows its totals and writes nothing; the import credits each member once', async () => {
    await openImport();
    await b.expectAccessible('import');
    await chooseCsv(CSV);
    const before = await ledgerState();
    await dryRunShows({ 'Members read': '2', 'To credit': '2', Wallets: '🪙 1,650', Banks: '🪙 300' });
    await expect(b.page.getByTestId('imported-before').count()).resolves.toBe(0);
    await b.snap('import-01-dry-run');
    expect(await ledgerState()).toEqual(before);

    await b.page.getByRole('button', { name: 'Confirm and import' }).click();
    await finished({ 'To credit': '2', Wallets: '🪙 1,650' });
    await b.page.getByText(/CSV file · finished · 2 credited/).waitFor();
    await b.snap('import-02-done');
    expect(await tenant.holdings('330000000000000001')).toEqual({
      wallet: 1_200n,
      bank: 300n,
      total: 1_500n,
    });
    expect(await tenant.holdings('330000000000000002')).toEqual({ wallet: 450n, bank: 0n, total: 450n });
    const imports = (await tenant.auditLog()).filter((e) => e.action === 'import');
    expect(imports.map((e) => [e.actor, e.target]).sort()).toEqual([
      [OWNER_ID, 'user:330000000000000001'],
      [OWNER_ID, 'user:330000000000000002'],
    ]);
    expect((await tenant.ledger.verify()).ok).toBe(true);
  }, 120_000);

  it('importing the same file again credits no one and changes nothing', async () => {
    await openImport();
    await chooseCsv(CSV);
    const before = await ledgerState();
    // The dry run reads the file, not the ledger: it shows what the file holds, and says it was imported.
    await dryRunShows({ 'Members read': '2' });
    await b.page
      .getByTestId('imported-before')
      .getByText(/^Imported before on .*not credited again\.$/)
      .waitFor();
    await b.page.getByRole('button', { name: 'Confirm and import' }).click();
    await finished({ 'To credit': '0', 'Imported before': '2', Wallets: '🪙 0' });
    expect(await ledgerState()).toEqual(before);
  }, 120_000);

  it('a bad row is refused with its line number, and nothing is written', async () => {
    await openImport();
    await chooseCsv(['user_id,cash,bank', '330000000000000003,10,0', 'bob,5,5', ''].join('\n'));
    const before = await ledgerState();
    await b.page.getByRole('button', { name: 'Dry run: show totals' }).click();
    await b.page.getByText(/line 3: "bob" is not a Discord user id/).waitFor();
    await b.page.getByText(/nothing was imported/).waitFor();
    await expect(b.page.getByRole('button', { name: 'Confirm and import' }).count()).resolves.toBe(0);
    await b.snap('import-03-bad-row');
    await b.expectAccessible('import with an error');
    expect(await ledgerState()).toEqual(before);
    expect(await tenant.balance('330000000000000003')).toBe(0n);
  }, 120_000);

  it('imports from UnbelievaBoat’s API with the owner’s token, through its 429s', async () => {
    fake.addGuild(b.guildId, [
      { user_id: '330000000000000011', cash: 900, bank: 100 },
      { user_id: '330000000000000012', cash: -40, bank: 60 },
    ]);
    await openImport();
    await b.page.getByRole('radio', { name: 'UnbelievaBoat' }).check();
    // A wrong token: UnbelievaBoat says no, the page says why, nothing is written.
    const before = await ledgerState();
    await b.page.getByLabel('UnbelievaBoat API token').fill('not-the-token');
    await b.page.getByRole('button', { name: 'Dry run: show totals' }).click();
    await b.page.getByText(/UnbelievaBoat refused the API token/).waitFor();
    expect(await ledgerState()).toEqual(before);

    await b.page.getByLabel('UnbelievaBoat API token').fill(fake.token);
    fake.forced429 = 2;
    await dryRunShows({ 'Members read': '2', Wallets: '🪙 900', Banks: '🪙 160', 'Debts left behind': '1' });
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(await ledgerState()).toEqual(before);

    await b.page.getByRole('button', { name: 'Confirm and import' }).click();
    await finished({ 'To credit': '2', Wallets: '🪙 900', Banks: '🪙 160' });
    await b.page.getByText(/UnbelievaBoat · finished · 2 credited/).waitFor();
    expect(await tenant.holdings('330000000000000011')).toEqual({ wallet: 900n, bank: 100n, total: 1_000n });
    expect(await tenant.holdings('330000000000000012')).toEqual({ wallet: 0n, bank: 60n, total: 60n });

    // The audit log page shows the imports with the owner as actor.
    await b.page.getByRole('link', { name: 'Audit log' }).click();
    const rows = b.page.getByTestId('audit-table').getByRole('row').filter({ hasText: 'imported from' });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(4);
    await expect(rows.first().textContent()).resolves.toContain(OWNER_ID);
    await b.snap('import-04-audit');
  }, 120_000);
});
