import Stripe from 'stripe';
import { afterEach } from 'vitest';
import { StripeSimulator, type StripeSimulatorOptions } from '../../src/index.js';
import { Receiver } from './receiver.js';

export interface Harness {
  sim: StripeSimulator;
  /** The real SDK, as the product builds it from STRIPE_API_URL. */
  stripe: Stripe;
  /** The platform's webhook endpoint (verifies with its secret). */
  platform: Receiver;
  /** The Connect webhook endpoint (its own secret). */
  connect: Receiver;
}

const open: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

/** A simulator with a platform and a Connect receiver, closed after the test. Prints its seed. */
export async function harness(options: StripeSimulatorOptions = {}): Promise<Harness> {
  const [platform, connect] = await Promise.all([Receiver.start(), Receiver.start()]);
  const sim = await StripeSimulator.start(options);
  platform.secret = sim.addWebhookEndpoint({ url: platform.url }).secret;
  connect.secret = sim.addWebhookEndpoint({ url: connect.url, connect: true }).secret;
  open.push(async () => {
    await sim.close();
    await Promise.all([platform.close(), connect.close()]);
  });
  console.log(`stripe simulator seed ${sim.seed}`);
  return { sim, stripe: new Stripe(sim.secretKey, sim.clientOptions), platform, connect };
}

/** The plan prices `pnpm dev` seeds. */
export async function planPrices(stripe: Stripe): Promise<{ pro: Stripe.Price; scale: Stripe.Price }> {
  const make = (lookup_key: string, name: string, unit_amount: number) =>
    stripe.prices.create({
      currency: 'usd',
      unit_amount,
      recurring: { interval: 'month' },
      lookup_key,
      product_data: { name },
    });
  return {
    pro: await make('guildmint_pro_monthly', 'Pro', 900),
    scale: await make('guildmint_scale_monthly', 'Scale', 2900),
  };
}

/** A connected account that finished onboarding (charges enabled). */
export async function enabledAccount(h: Harness): Promise<Stripe.Account> {
  const account = await h.stripe.accounts.create({
    type: 'express',
    email: 'owner@guild.test',
    business_profile: { name: 'Casino Guild' },
  });
  await h.sim.setAccountState(account.id, 'enabled');
  return h.stripe.accounts.retrieve(account.id);
}
