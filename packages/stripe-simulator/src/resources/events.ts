import { LIST_PARAMS, page } from '../http/list.js';
import type { Route } from '../http/route.js';

export const eventRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/events/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      return world.store.get('event', path.id as string, account);
    },
  },
  {
    method: 'GET',
    path: '/v1/events',
    handle: ({ world, account, params, url }) => {
      params.only([...LIST_PARAMS, 'type', 'types', 'created']);
      const type = params.string('type');
      const types = params.strings('types');
      const created = params.object('created')?.only(['gt', 'gte', 'lt', 'lte']);
      const bounds = {
        gt: created?.integer('gt'),
        gte: created?.integer('gte'),
        lt: created?.integer('lt'),
        lte: created?.integer('lte'),
      };
      // `type` takes a `*` wildcard as on Stripe (`charge.dispute.*`).
      const matches = (t: string) =>
        (type === undefined || (type.endsWith('*') ? t.startsWith(type.slice(0, -1)) : t === type)) &&
        (types.length === 0 || types.includes(t));
      const items = world.store.all('event', account).filter((e) => {
        const at = e.created as number;
        return (
          matches(e.type as string) &&
          (bounds.gt === undefined || at > bounds.gt) &&
          (bounds.gte === undefined || at >= bounds.gte) &&
          (bounds.lt === undefined || at < bounds.lt) &&
          (bounds.lte === undefined || at <= bounds.lte)
        );
      });
      return page(items, params, url);
    },
  },
];
