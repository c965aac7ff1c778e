import type { ClusterStorage } from '@guildmint/sdk';
import type { WebhookOutbox, WebhookWorker as Worker } from '@guildmint/sdk/webhooks';
import type { OwnerNotifier } from '../billing/owner-dm';
import { openWebhookOutbox, WebhookWorker } from '../sdk';
import { endpointDirectory } from './endpoints';
import type { SecretKeyring } from './secret-box';
import { type EndpointStore, openEndpointStore } from './store';

export type { EndpointRecord, EndpointStore } from './store';

export interface WebhookServices {
  endpoints: EndpointStore;
  outbox: WebhookOutbox;
  /** Development builds and tests: endpoints on loopback over plain http are allowed. Never in production. */
  allowLoopback: boolean;
}

/**
 * The endpoint table (platform database), its secrets sealed at rest with `secrets` (secret-box.ts),
 * and the outbox of the economy's storage.
 */
export function openWebhookServices(
  platformDatabase: string,
  economyStorage: string | ClusterStorage,
  allowLoopback: boolean,
  secrets: SecretKeyring,
): WebhookServices {
  return {
    endpoints: openEndpointStore(platformDatabase, secrets),
    outbox: openWebhookOutbox(economyStorage),
    allowLoopback,
  };
}

/**
 * The delivery worker of this process. Every control-plane process may run one: claims are leases
 * (PostgreSQL: SKIP LOCKED), so workers share the outbox without sending a row twice at once. When the
 * platform disables an endpoint (410, days of failure), the guild's owner hears of it (a tenant's id is its
 * guild's id), and the developers page shows why.
 */
export function startWebhookWorker(
  services: WebhookServices,
  o: { owners: OwnerNotifier; log: (message: string, error: unknown) => void },
): Worker {
  const worker = new WebhookWorker({
    store: services.outbox,
    endpoints: endpointDirectory(services.endpoints, {
      now: () => new Date(),
      notify: (endpoint, reason) => {
        o.owners
          .notify(
            endpoint.tenant,
            `Guildmint disabled your webhook endpoint ${endpoint.url}: ${reason}. Enable it again on the Developers page once it works.`,
          )
          .catch((error: unknown) =>
            o.log(`webhooks: could not tell the owner of ${endpoint.tenant}`, error),
          );
      },
    }),
    allowLoopback: services.allowLoopback,
    onError: (error) => o.log('webhooks: a delivery round failed', error),
  });
  worker.start();
  return worker;
}
