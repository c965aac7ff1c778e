import type { StripeObject } from '../store.js';
import type { World } from '../world.js';
import type { ListObject } from './list.js';
import type { ParamReader } from './params.js';

/** One API call as a handler sees it: who asks, with what. */
export interface RequestContext {
  world: World;
  /** The connected account named by `Stripe-Account`, or null for the platform. */
  account: string | null;
  /** The request's parameters (form body or query), without `expand`. */
  params: ParamReader;
  /** The path's `:name` parts. */
  path: Record<string, string>;
  /** The path the list answers carry as `url`. */
  url: string;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** `/v1/customers/:id`. */
  path: string;
  handle(ctx: RequestContext): StripeObject | ListObject;
}
