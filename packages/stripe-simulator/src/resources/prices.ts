import { badState, invalidParam, missingParam } from '../errors.js';
import { LIST_PARAMS, page } from '../http/list.js';
import type { ParamReader } from '../http/params.js';
import type { Route } from '../http/route.js';
import type { StripeObject } from '../store.js';
import type { World } from '../world.js';
import { createProduct } from './products.js';

export interface Price extends StripeObject {
  object: 'price';
  active: boolean;
  currency: string;
  unit_amount: number;
  product: string;
  type: 'one_time' | 'recurring';
  recurring: {
    interval: 'day' | 'week' | 'month' | 'year';
    interval_count: number;
    [field: string]: unknown;
  } | null;
  lookup_key: string | null;
  metadata: Record<string, string>;
}

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

/** A price from `price_data`-shaped parameters (also what Checkout's inline `price_data` makes). */
export function createPrice(
  world: World,
  account: string | null,
  p: ParamReader,
  o: { inline?: boolean } = {},
): Price {
  const currency = p.requiredString('currency').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidParam('currency', `Invalid currency: ${currency}`);
  const unitAmount = p.integer('unit_amount');
  if (unitAmount === undefined) throw missingParam('unit_amount');
  let product = p.string('product');
  const productData = p.object('product_data');
  if (product === undefined && productData === undefined) throw missingParam('product');
  if (product !== undefined) world.store.get('product', product, account, 'product');
  else
    product = createProduct(
      world,
      account,
      (productData as ParamReader).only(['name', 'description', 'metadata']),
    ).id;
  const recurringParams = p.object('recurring')?.only(['interval', 'interval_count']);
  let recurring: { interval: (typeof INTERVALS)[number]; interval_count: number } | null = null;
  if (recurringParams) {
    const interval = recurringParams.oneOf('interval', INTERVALS);
    if (!interval) throw missingParam('recurring[interval]');
    recurring = { interval, interval_count: recurringParams.integer('interval_count') ?? 1 };
  }
  const lookupKey = p.string('lookup_key') ?? null;
  if (lookupKey !== null) {
    const holder = world.store.all<Price>('price', account).find((x) => x.lookup_key === lookupKey);
    if (holder && p.boolean('transfer_lookup_key') !== true) {
      throw badState(
        `A price (\`${holder.id}\`) already uses that lookup key. Use \`transfer_lookup_key\` to move it.`,
        'lookup_key',
      );
    }
    if (holder) holder.lookup_key = null;
  }
  const price: Price = {
    id: world.ids.next('price'),
    object: 'price',
    active: o.inline ? false : (p.boolean('active') ?? true),
    billing_scheme: 'per_unit',
    created: world.clock.now(),
    currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: lookupKey,
    metadata: p.metadata(),
    nickname: p.string('nickname') ?? null,
    product,
    recurring: recurring && { ...recurring, meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  };
  return world.store.add(price, account);
}

export const priceRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/prices',
    handle: ({ world, account, params }) =>
      createPrice(
        world,
        account,
        params.only([
          'currency',
          'unit_amount',
          'product',
          'product_data',
          'recurring',
          'lookup_key',
          'transfer_lookup_key',
          'nickname',
          'active',
          'metadata',
        ]),
      ),
  },
  {
    method: 'GET',
    path: '/v1/prices/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return world.store.get('price', path.id as string, account);
    },
  },
  {
    method: 'POST',
    path: '/v1/prices/:id',
    handle: ({ world, account, path, params }) => {
      params.only(['active', 'metadata', 'nickname', 'lookup_key', 'transfer_lookup_key']);
      const price = world.store.get<Price>('price', path.id as string, account);
      const lookupKey = params.string('lookup_key');
      if (lookupKey !== undefined) {
        const holder = world.store
          .all<Price>('price', account)
          .find((x) => x.lookup_key === lookupKey && x !== price);
        if (holder && params.boolean('transfer_lookup_key') !== true) {
          throw badState(`A price (\`${holder.id}\`) already uses that lookup key.`, 'lookup_key');
        }
        if (holder) holder.lookup_key = null;
        price.lookup_key = lookupKey === '' ? null : lookupKey;
      }
      price.active = params.boolean('active') ?? price.active;
      price.nickname = params.string('nickname') ?? price.nickname;
      price.metadata = params.metadata('metadata', price.metadata);
      return price;
    },
  },
  {
    method: 'GET',
    path: '/v1/prices',
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, 'active', 'currency', 'lookup_keys', 'product', 'type']);
      const active = params.boolean('active');
      const currency = params.string('currency');
      const lookupKeys = params.strings('lookup_keys');
      if (lookupKeys.length > 10) throw invalidParam('lookup_keys', 'You can pass at most 10 lookup keys.');
      const product = params.string('product');
      const type = params.oneOf('type', ['one_time', 'recurring'] as const);
      const items = world.store
        .all<Price>('price', account)
        .filter(
          (x) =>
            (active === undefined || x.active === active) &&
            (currency === undefined || x.currency === currency) &&
            (lookupKeys.length === 0 || (x.lookup_key !== null && lookupKeys.includes(x.lookup_key))) &&
            (product === undefined || x.product === product) &&
            (type === undefined || x.type === type),
        );
      return page(items, params, url);
    },
  },
];
