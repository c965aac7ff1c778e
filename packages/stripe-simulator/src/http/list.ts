import { invalidParam } from '../errors.js';
import type { StripeObject } from '../store.js';
import type { ParamReader } from './params.js';

export interface ListObject {
  object: 'list';
  data: StripeObject[];
  has_more: boolean;
  url: string;
}

/** The list parameters every list endpoint takes, besides its filters. */
export const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'expand'] as const;

/**
 * One page of `items` (newest first) with Stripe's cursor rules: `limit` 1–100 (default 10), `starting_after`
 * the last id of the previous page, `ending_before` the first id of the next one.
 */
export function page(items: StripeObject[], params: ParamReader, url: string): ListObject {
  const limit = params.integer('limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam('limit', 'This value must be between 1 and 100.');
  const after = params.string('starting_after');
  const before = params.string('ending_before');
  const cursorIndex = (id: string, param: string) => {
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) throw invalidParam(param, `No such object: '${id}'`);
    return index;
  };
  if (before !== undefined) {
    const end = cursorIndex(before, 'ending_before');
    const start = Math.max(0, end - limit);
    return { object: 'list', data: items.slice(start, end), has_more: start > 0, url };
  }
  const start = after === undefined ? 0 : cursorIndex(after, 'starting_after') + 1;
  const data = items.slice(start, start + limit);
  return { object: 'list', data, has_more: start + limit < items.length, url };
}
