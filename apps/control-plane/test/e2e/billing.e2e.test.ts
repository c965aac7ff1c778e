import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordSimulator } from '@guildmint/discord-simulator';
import { createEconomy, type Economy } from '@guildmint/sdk';
import { StripeSimulator } from '@guildmint/stripe-simulator';
import { BROWSER_CONTEXT, CHROMIUM_ARGS, CHROMIUM_PATH } from '@guildmint/test-support';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_PRICE_LOOKUP_KEYS } from '../../src/server/billing/prices';
import {
  APP_DIR,
  ensureBuilt,
  freePort,
  type RunningApp,
  startAppWithSimulator,
} from '../support/app-server';

/**
 * An owner upgrades to Pro in a real browser (Debian's Chromium) against `next build && next start`:
 * the Billing tab → the Stripe simulator's Checkout page (real `stripe` SDK calls, a signed webhook back
 * to the app) → the plan shows active → a Pro-only setting (a second event) publishes where Free refused it.
 * Screenshots land in artifacts/e2e-billing.
 */

const ARTIFACTS = join(APP_DIR, 'artifacts', 'e2e-billing');
const OWNER_ID = '420000000000000001';
const MEMBER_ID = '420000000000000002';
/** The runtime's key to POST /api/internal/packs. */
const INTERNAL_SECRET = randomBytes(24).toString('hex');

describe('billing in a browser', () => {
  let dir: string;
  let discord: DiscordSimulator;
  let stripe: StripeSimulator;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let economy: Economy;
  let guildId: string;

  beforeAll(async () => {
    const buildMs = await ensureBuilt();
    console.log(`e2e billing: next build ${buildMs ? `${(buildMs / 1000).toFixed(1)} s` : 'reused'}`);
    dir = mkdtempSync(join(tmpdir(), 'guildmint-e2e-billing-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    economy = createEconomy({ storage: `file:${join(dir, 'economy.db')}` });
    await economy.migrate();

    discord = await DiscordSimulator.start();
    discord.addUser({ id: OWNER_ID, username: 'owner', globalName: 'Billing Owner' });
    guildId = discord.addGuild({ name: 'Billing Guild', ownerId: OWNER_ID, withBot: false }).id;

    const port = await freePort();
    stripe = await StripeSimulator.start({
      webhooks: [{ url: `http://localhost:${port}/api/webhooks/stripe` }],
    });
    const connectEndpoint = stripe.addWebhookEndpoint({
      url: `http://localhost:${port}/api/webhooks/stripe`,
      connect: true,
    });
    stripe.ensurePrice({
      lookupKey: PLAN_PRICE_LOOKUP_KEYS.pro,
      name: 'Pro',
      unitAmount: 900,
      currency: 'usd',
      interval: 'month',
    });
    app = await startAppWithSimulator(discord, dir, {
      port,
      env: {
        DISCORD_APPLICATION_ID: discord.applicationId,
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookEndpoints[0]!.secret,
        STRIPE_API_URL: stripe.url,
        STRIPE_CONNECT_WEBHOOK_SECRET: connectEndpoint.secret,
        GUILDMINT_INTERNAL_SECRET: INTERNAL_SECRET,
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await stripe?.close();
    await discord?.close();
    await economy?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const snap = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  /** Two events in the editor and an attempt to publish them. */
  async function publishTwoEvents() {
    await page.goto(`${app.url}/t/${guildId}/economy`);
    await page.getByRole('heading', { name: 'Economy editor' }).waitFor();
    await page.getByRole('button', { name: 'Add event' }).click();
    await page.getByRole('button', { name: 'Add event' }).click();
    await page.getByRole('button', { name: 'Review and publish' }).click();
    const dialog = page.getByRole('dialog', { name: /^Publish version \d+\?$/ });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    return dialog;
  }

  it('the owner upgrades to Pro through Checkout, the plan shows active, and a Pro-only setting unlocks', async () => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Log in with Discord' }).click();
    await page.getByRole('button', { name: 'Log in as Billing Owner' }).click();
    await page.waitForURL(`${app.url}/guilds`);
    await page.goto(`${app.url}/guilds/${guildId}/setup`);
    await page.getByRole('radio', { name: /Cozy/ }).check();
    await page.getByRole('button', { name: 'Create economy' }).click();
    await page.waitForURL(`${app.url}/t/${guildId}/economy`);

    // Free: the second event is refused, naming the plan that includes it.
    const refused = await publishTwoEvents();
    await refused
      .getByText('the Free plan allows 1 events (2 asked); the Pro plan includes up to 20')
      .waitFor();
    await snap('01-free-refuses-second-event');
    await refused.getByRole('button', { name: 'Cancel' }).click();

    // The Billing tab: Free, no subscription.
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByTestId('current-plan').filter({ hasText: 'Free' }).waitFor();
    await page.getByTestId('limit-events').filter({ hasText: '0 of 1' }).waitFor();
    await snap('02-billing-free');

    // Checkout on the simulator's hosted page, paid with Stripe's test card.
    await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
    await page.waitForURL(`${stripe.url}/**`);
    await page.getByLabel('Email').fill('owner@example.com');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await snap('03-checkout');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(`${app.url}/t/${guildId}/billing?checkout=success`);
    // The plan comes only from the webhook: once Stripe has delivered it, the page shows Pro.
    await stripe.settle();
    expect(stripe.deliveries().every((d) => d.status === 200)).toBe(true);
    expect((await economy.tenant(guildId).plan()).name).toBe('pro');
    await page.reload();
    await page.getByTestId('current-plan').filter({ hasText: 'Pro' }).waitFor();
    await page.getByText('active', { exact: true }).waitFor();
    await page
      .getByTestId('plan-source')
      .filter({ hasText: /From a Stripe subscription \(sub_/ })
      .waitFor();
    await page.getByTestId('limit-events').filter({ hasText: '0 of 20' }).waitFor();
    await page.getByRole('button', { name: 'Manage subscription' }).waitFor();
    await snap('04-billing-pro-active');

    // Pro: the same two events publish.
    await publishTwoEvents();
    await page.getByText('Published version 2.').waitFor();
    await snap('05-pro-publishes-second-event');
    economy.tenant(guildId).reloadConfig();
    expect((await economy.tenant(guildId).config()).events).toHaveLength(2);
  }, 240_000);

  it('on Pro, the owner connects Stripe through onboarding and puts a currency pack on sale', async () => {
    await page.goto(`${app.url}/t/${guildId}/billing`);
    await page.getByRole('button', { name: 'Connect Stripe' }).click();
    await page.waitForURL(`${stripe.url}/**`);
    await page.getByRole('button', { name: 'Complete onboarding' }).click();
    // Back on the billing page, the account's status is re-read from Stripe.
    await page.waitForURL(`${app.url}/t/${guildId}/billing?connect=return`);
    await page.getByTestId('connect-status').filter({ hasText: 'enabled' }).waitFor();
    await page.getByLabel('Pack name').fill('gold');
    await page.getByLabel('Coins').fill('1000');
    await page.getByRole('button', { name: 'Add pack' }).click();
    await page
      .getByTestId('pack-row')
      .filter({ hasText: /gold.*\$4\.99.*1000 coins/ })
      .waitFor();
    await snap('06-pack-on-sale');
  }, 60_000);

  it("a member pays /buy's link once, a refund on Stripe's side takes it back, and the owner sees both", async () => {
    // The link as the runtime's /buy gets it, from the control plane's internal endpoint.
    const asked = await fetch(`${app.url}/api/internal/packs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTERNAL_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'checkout', guildId, memberId: MEMBER_ID, pack: 'gold' }),
    });
    expect(asked.status).toBe(200);
    await page.goto(((await asked.json()) as { url: string }).url);
    await page.getByLabel('Email').fill('member@example.com');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await snap('07-pack-checkout');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(`${app.url}/packs/paid**`);
    await stripe.settle();
    const tenant = economy.tenant(guildId);
    expect(await tenant.balance(MEMBER_ID)).toBe(1000n);
    // A redelivery of the payment's event changes nothing.
    const completed = stripe
      .events({ type: 'checkout.session.completed' })
      .find((e) => JSON.stringify(e.data).includes(MEMBER_ID))!;
    await stripe.redeliver(completed.id as string);
    expect(await tenant.balance(MEMBER_ID)).toBe(1000n);
    const [credit] = (await tenant.ledger.transfers({ account: `user:${MEMBER_ID}` })).items;
    await stripe.refund(credit!.metadata!.payment_intent as string);
    expect(await tenant.balance(MEMBER_ID)).toBe(0n);
    expect(stripe.deliveries().every((d) => d.status === 200)).toBe(true);

    await page.goto(`${app.url}/t/${guildId}/members/${MEMBER_ID}`);
    await page.getByRole('cell', { name: 'purchase · pack', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'reversal', exact: true }).waitFor();
    await snap('08-member-credit-and-reversal');
    await page.goto(`${app.url}/t/${guildId}/audit`);
    await page
      .getByTestId('audit-table')
      .getByRole('cell', { name: 'purchase.refund', exact: true })
      .waitFor();
    await snap('09-audit-refund');
  }, 60_000);
});
