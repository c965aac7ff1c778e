import type { StripeObject } from '../store.js';
import type { World } from '../world.js';
import { LIST_PARAMS, type ListObject, page } from './list.js';
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

/** `GET …/:id`: one object of the type, on the account the caller acts as (Stripe's 404 otherwise). */
export function retrieveRoute(object: string, path: string): Route {
  return {
    method: 'GET',
    path,
    handle: ({ world, account, path: parts, params }) => {
      params.only([]);
      return world.store.get(object, parts.id as string, account);
    },
  };
}

/** `GET …`: one page of the type's objects on the caller's account, filtered by equality on `filters`. */
export function listRoute(object: string, path: string, filters: readonly string[]): Route {
  return {
    method: 'GET',
    path,
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, ...filters]);
      const wanted = filters.map((field) => [field, params.string(field)] as const);
      const items = world.store
        .all(object, account)
        .filter((obj) => wanted.every(([field, value]) => value === undefined || obj[field] === value));
      return page(items, params, url);
    },
  };
}
