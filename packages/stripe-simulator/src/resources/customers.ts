import { LIST_PARAMS, page } from '../http/list.js';
import type { ParamReader } from '../http/params.js';
import type { Route } from '../http/route.js';
import type { StripeObject } from '../store.js';
import type { World } from '../world.js';

export interface Customer extends StripeObject {
  object: 'customer';
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  invoice_settings: {
    default_payment_method: string | null;
    custom_fields: null;
    footer: null;
    rendering_options: null;
  };
}

const FIELDS = ['email', 'name', 'description', 'metadata'] as const;

export function createCustomer(
  world: World,
  account: string | null,
  fields: {
    email?: string | null;
    name?: string | null;
    description?: string | null;
    metadata?: Record<string, string>;
  },
): Customer {
  const customer: Customer = {
    id: world.ids.next('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: world.clock.now(),
    currency: null,
    delinquent: false,
    description: fields.description ?? null,
    email: fields.email ?? null,
    invoice_prefix: world.random.base62(8).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: fields.metadata ?? {},
    name: fields.name ?? null,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
  world.store.add(customer, account);
  world.emit('customer.created', customer, { account });
  return customer;
}

function update(world: World, account: string | null, customer: Customer, p: ParamReader): Customer {
  const previous: Record<string, unknown> = {};
  for (const field of ['email', 'name', 'description'] as const) {
    const value = p.string(field);
    if (value !== undefined && value !== customer[field]) {
      previous[field] = customer[field];
      customer[field] = value === '' ? null : value;
    }
  }
  const metadata = p.metadata('metadata', customer.metadata);
  if (JSON.stringify(metadata) !== JSON.stringify(customer.metadata)) {
    previous.metadata = customer.metadata;
    customer.metadata = metadata;
  }
  if (Object.keys(previous).length > 0) world.emit('customer.updated', customer, { account, previous });
  return customer;
}

export const customerRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/customers',
    handle: ({ world, account, params }) => {
      params.only([...FIELDS]);
      return createCustomer(world, account, {
        email: params.string('email') ?? null,
        name: params.string('name') ?? null,
        description: params.string('description') ?? null,
        metadata: params.metadata(),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/customers/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return world.store.get('customer', path.id as string, account);
    },
  },
  {
    method: 'POST',
    path: '/v1/customers/:id',
    handle: ({ world, account, path, params }) =>
      update(
        world,
        account,
        world.store.get('customer', path.id as string, account),
        params.only([...FIELDS]),
      ),
  },
  {
    method: 'GET',
    path: '/v1/customers',
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, 'email']);
      const email = params.string('email');
      const items = world.store
        .all<Customer>('customer', account)
        .filter((c) => email === undefined || c.email === email);
      return page(items, params, url);
    },
  },
];
