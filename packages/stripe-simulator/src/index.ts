export { type ChargeOutcome, testCards } from './cards.js';
export { SimulatorError } from './errors.js';
export type { ApiCall } from './http/api.js';
export type { Account, AccountState } from './resources/accounts.js';
export type { DunningSettings, Invoice, Subscription, SubscriptionChange } from './resources/billing.js';
export type { CheckoutSession, PaymentChoice, PayResult } from './resources/checkout.js';
export type { Charge, Dispute, PaymentIntent } from './resources/payments.js';
export type { Price } from './resources/prices.js';
export {
  API_VERSION,
  DEFAULT_SEED,
  StripeSimulator,
  type StripeSimulatorOptions,
  stripeClientOptions,
} from './simulator.js';
export type { StripeObject } from './store.js';
export type { Delivery, WebhookEndpoint } from './webhooks/deliveries.js';
export { signatureHeader } from './webhooks/signature.js';
