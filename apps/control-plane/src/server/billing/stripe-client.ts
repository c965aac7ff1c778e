import Stripe from 'stripe';

/** Stripe's own API; tests and `pnpm dev` point STRIPE_API_URL at the loopback Stripe simulator. */
export const STRIPE_API = 'https://api.stripe.com';

/**
 * The real `stripe` SDK, pointed at `apiUrl`. No retries inside the SDK: a webhook that fails answers 5xx
 * and Stripe delivers it again; a Checkout that fails is told to the owner, who tries again.
 */
export function createStripeClient(secretKey: string, apiUrl: string = STRIPE_API): Stripe {
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    host: url.hostname,
    port: Number(url.port || (protocol === 'http' ? 80 : 443)),
    protocol,
    maxNetworkRetries: 0,
    timeout: 10_000,
  });
}
