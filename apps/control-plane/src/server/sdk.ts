/**
 * The app's one copy of @guildmint/sdk; server code takes the SDK's values from here.
 *
 * Next.js bundles a workspace package into each server layer that imports it (`serverExternalPackages`
 * only applies to packages that resolve inside node_modules, and a pnpm workspace link resolves to
 * packages/sdk), so route handlers and server components each carried their own SDK, sharing one
 * economy object between them. Imported here by Node at run time instead, the SDK is one module
 * instance per process. Types may still be imported from '@guildmint/sdk' directly (they are erased).
 */
const sdk: typeof import('@guildmint/sdk') = await import(
  /* turbopackIgnore: true */ /* webpackIgnore: true */ '@guildmint/sdk'
);

export const {
  assertWithinLimit,
  assertFeature,
  GuildmintError,
  createEconomy,
  defineEconomy,
  gameReturns,
  previewTexts,
  isGuildmintError,
  MAX_AMOUNT,
  PLAN_NAMES,
  parseAmount,
  parseClusters,
  plans,
  planUsageOf,
  presets,
  presetInflationBands,
  reasonProblem,
} = sdk;

/** The webhook outbox, worker and endpoint checks (a subpath of the SDK), loaded the same way. */
const webhooks: typeof import('@guildmint/sdk/webhooks') = await import(
  /* turbopackIgnore: true */ /* webpackIgnore: true */ '@guildmint/sdk/webhooks'
);

export const { assertWebhookUrl, newWebhookSecret, openWebhookOutbox, WEBHOOK_EVENT_TYPES, WebhookWorker } =
  webhooks;

/** The simulation engine (a subpath of the SDK), loaded the same way on first use. */
export function loadSimulation(): Promise<typeof import('@guildmint/sdk/simulation')> {
  return import(/* turbopackIgnore: true */ /* webpackIgnore: true */ '@guildmint/sdk/simulation');
}
