// `pnpm dev`'s Stripe: the simulator on 127.0.0.1, the plan prices seeded, webhooks (platform and Connect)
// sent to the control plane, and its clock following the wall clock so retries and expiries happen as time
// passes. Started by scripts/dev.mjs, which it answers over IPC with the control plane's Stripe environment:
//   { type: 'stripe', env: { STRIPE_API_URL, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET } }
//
//   node --import tsx src/dev.ts --webhook-url http://localhost:3000/api/webhooks/stripe [--port N] [--seed N]
import { parseArgs } from 'node:util';
import { StripeSimulator } from './simulator.js';

/** The plan prices the control plane looks up (by lookup key, agreed with the billing code). */
export const DEV_PLAN_PRICES = [
  {
    lookupKey: 'guildmint_pro_monthly',
    name: 'Guildmint Pro',
    unitAmount: 900,
    currency: 'usd',
    interval: 'month',
  },
  {
    lookupKey: 'guildmint_scale_monthly',
    name: 'Guildmint Scale',
    unitAmount: 2900,
    currency: 'usd',
    interval: 'month',
  },
] as const;

const TICK_MS = 5_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'webhook-url': { type: 'string' }, port: { type: 'string' }, seed: { type: 'string' } },
  });
  const webhookUrl = values['webhook-url'];
  if (!webhookUrl)
    throw new Error('--webhook-url is required (the control plane’s POST /api/webhooks/stripe)');
  const sim = await StripeSimulator.start({
    port: Number(values.port ?? process.env.STRIPE_SIMULATOR_PORT ?? 0),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    platformName: 'Guildmint',
  });
  const platform = sim.addWebhookEndpoint({ url: webhookUrl });
  const connect = sim.addWebhookEndpoint({ url: webhookUrl, connect: true });
  for (const price of DEV_PLAN_PRICES) sim.ensurePrice(price);

  // The clock follows the wall clock, so a delivery that failed while the control plane was compiling is
  // retried minutes later, as on Stripe. Ticks never overlap.
  let last = Date.now();
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    const seconds = Math.floor((Date.now() - last) / 1000);
    last += seconds * 1000;
    void sim.advanceClock(seconds).finally(() => {
      ticking = false;
    });
  }, TICK_MS);

  const env = {
    STRIPE_API_URL: sim.url,
    STRIPE_SECRET_KEY: sim.secretKey,
    STRIPE_WEBHOOK_SECRET: platform.secret,
    STRIPE_CONNECT_WEBHOOK_SECRET: connect.secret,
  };
  console.log(
    `Stripe simulator: ${sim.url} (seed ${sim.seed}; webhooks to ${webhookUrl}; test card 4242 4242 4242 4242)`,
  );
  process.send?.({ type: 'stripe', env });

  const stop = async () => {
    clearInterval(timer);
    await sim.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop());
  process.on('disconnect', () => void stop()); // the parent is gone
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
