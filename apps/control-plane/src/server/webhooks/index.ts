import { openWebhookOutbox, type WebhookOutbox, WebhookWorker } from '@guildmint/sdk/webhooks';
import { endpointDirectory } from './endpoints';
import { type EndpointStore, openEndpointStore } from './store';

export type { EndpointRecord, EndpointStore } from './store';

export interface WebhookServices {
  endpoints: EndpointStore;
  outbox: WebhookOutbox;
  /** Development builds and tests: endpoints on loopback over plain http are allowed. Never in production. */
  allowLoopback: boolean;
}

/** The endpoint table (platform database) and the outbox of the economy's storage. */
export function openWebhookServices(
  platformDatabase: string,
  economyStorage: string,
  allowLoopback: boolean,
): WebhookServices {
  return {
    endpoints: openEndpointStore(platformDatabase),
    outbox: openWebhookOutbox(economyStorage),
    allowLoopback,
  };
}

/**
 * The delivery worker of this process. Every control-plane process may run one: claims are leases
 * (PostgreSQL: SKIP LOCKED), so workers share the outbox without sending a row twice at once.
 */
export function startWebhookWorker(
  services: WebhookServices,
  log: (message: string, error: unknown) => void,
): WebhookWorker {
  const worker = new WebhookWorker({
    store: services.outbox,
    endpoints: endpointDirectory(services.endpoints, {
      now: () => new Date(),
      notify: (endpoint, reason) =>
        log(`webhooks: endpoint ${endpoint.id} of ${endpoint.tenant} disabled: ${reason}`, null),
    }),
    allowLoopback: services.allowLoopback,
    onError: (error) => log('webhooks: a delivery round failed', error),
  });
  worker.start();
  return worker;
}
