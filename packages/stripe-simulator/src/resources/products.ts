import { LIST_PARAMS, page } from '../http/list.js';
import type { ParamReader } from '../http/params.js';
import type { Route } from '../http/route.js';
import type { StripeObject } from '../store.js';
import type { World } from '../world.js';

export function createProduct(world: World, account: string | null, p: ParamReader): StripeObject {
  const now = world.clock.now();
  return world.store.add(
    {
      id: p.string('id') ?? world.ids.next('prod'),
      object: 'product',
      active: p.boolean('active') ?? true,
      created: now,
      updated: now,
      default_price: null,
      description: p.string('description') ?? null,
      images: [],
      livemode: false,
      metadata: p.metadata(),
      name: p.requiredString('name'),
      type: 'service',
      url: null,
    },
    account,
  );
}

export const productRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/products',
    handle: ({ world, account, params }) =>
      createProduct(world, account, params.only(['id', 'name', 'description', 'active', 'metadata'])),
  },
  {
    method: 'GET',
    path: '/v1/products/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return world.store.get('product', path.id as string, account);
    },
  },
  {
    method: 'POST',
    path: '/v1/products/:id',
    handle: ({ world, account, path, params }) => {
      params.only(['name', 'description', 'active', 'metadata']);
      const product = world.store.get('product', path.id as string, account);
      product.name = params.string('name') ?? product.name;
      product.description = params.string('description') ?? product.description;
      product.active = params.boolean('active') ?? product.active;
      product.metadata = params.metadata('metadata', product.metadata as Record<string, string>);
      product.updated = world.clock.now();
      return product;
    },
  },
  {
    method: 'GET',
    path: '/v1/products',
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, 'active']);
      const active = params.boolean('active');
      const items = world.store
        .all('product', account)
        .filter((p) => active === undefined || p.active === active);
      return page(items, params, url);
    },
  },
];
