import type { Route } from '../http/route.js';
import type { StripeObject } from '../store.js';

export interface PortalSession extends StripeObject {
  object: 'billing_portal.session';
  customer: string;
  return_url: string | null;
}

export const portalRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/billing_portal/sessions',
    handle: ({ world, account, params }) => {
      params.only(['customer', 'return_url', 'configuration', 'locale', 'flow_data']);
      const customer = world.store.get('customer', params.requiredString('customer'), account, 'customer');
      const id = world.ids.next('bps');
      return world.store.add<PortalSession>(
        {
          id,
          object: 'billing_portal.session',
          configuration: params.string('configuration') ?? 'bpc_default',
          created: world.clock.now(),
          customer: customer.id,
          flow: null,
          livemode: false,
          locale: params.string('locale') ?? null,
          on_behalf_of: null,
          return_url: params.string('return_url') ?? null,
          url: `${world.baseUrl()}/p/session/${id}`,
        },
        account,
      );
    },
  },
];
