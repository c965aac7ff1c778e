import type { SimClock } from './clock.js';
import type { IdFactory } from './ids.js';
import type { SeededRandom } from './random.js';
import type { ObjectStore, StripeObject } from './store.js';

/** The API request being handled, which events it causes carry (`event.request`). */
export interface RequestInfo {
  id: string;
  idempotencyKey: string | null;
}

/** What the simulator knows that no API object shows: card numbers, a session's options, link use. */
export interface Hidden {
  /** Payment method id → the test card number behind it (decides every charge's outcome). */
  cards: Map<string, string>;
  /** Checkout session id → what happens when it is paid. */
  sessions: Map<string, SessionPlan>;
  /** Account link token → its onboarding visit (a link is single-use: opened twice, it sends to refresh_url). */
  accountLinks: Map<string, AccountLinkState>;
  /** Subscription id → proration lines waiting for its next invoice (`create_prorations`). */
  pendingProrations: Map<string, StripeObject[]>;
}

export interface AccountLinkState {
  account: string;
  refreshUrl: string;
  returnUrl: string;
  expiresAt: number;
  opened: boolean;
  finished: boolean;
}

export interface SessionPlan {
  lineItems: StripeObject[];
  trialPeriodDays: number | null;
  subscriptionMetadata: Record<string, string>;
  paymentIntentData: {
    applicationFeeAmount: number | null;
    metadata: Record<string, string>;
    description: string | null;
  };
}

/** The shared state and services every resource works with. */
export interface World {
  readonly store: ObjectStore;
  readonly ids: IdFactory;
  readonly clock: SimClock;
  readonly random: SeededRandom;
  readonly hidden: Hidden;
  /** `http://127.0.0.1:PORT`: pages and the API. */
  baseUrl(): string;
  /** Records an event (a snapshot of `obj` now) and sends it to the endpoints that listen on its account. */
  emit(
    type: string,
    obj: StripeObject,
    o: { account: string | null; previous?: Record<string, unknown> },
  ): void;
}

/** A JSON copy: events and answers carry the object as it was, not a live reference. */
export const snapshot = <T>(value: T): T => structuredClone(value);
