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
 * Keeps the tenant's event switch (`WebhookOutbox.recordEvents`) on while it has an enabled endpoint, and
 * off while it has none: then each money move would write an event fanned out to no one (a row written,
 * claimed, marked and pruned: a tenth to a fifth of a game round's work). Run it after an endpoint is saved,
 * enabled, disabled or deleted, and when a tenant is created; turn the switch on before saving or enabling
 * one, so its first events are never missed. Switching off is checked again after: an endpoint saved
 * meanwhile by another request turns it back on, so racing requests never leave one without events.
 */
export async function syncEventRecording(
  services: Pick<WebhookServices, 'endpoints' | 'outbox'>,
  tenant: string,
): Promise<void> {
  const anyEnabled = async () => (await services.endpoints.list(tenant)).some((r) => r.enabled);
  if (await anyEnabled()) return services.outbox.recordEvents(tenant, true);
  await services.outbox.recordEvents(tenant, false);
  if (await anyEnabled()) await services.outbox.recordEvents(tenant, true);
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
      disabled: (endpoint) => syncEventRecording(services, endpoint.tenant),
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
