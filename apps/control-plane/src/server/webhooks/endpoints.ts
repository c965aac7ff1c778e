import { randomUUID } from 'node:crypto';
import type { EndpointDirectory, WebhookEndpoint } from '@guildmint/sdk/webhooks';
import type { EndpointRecord, EndpointStore } from './store';

/** How long the secret before a rotation still signs deliveries (receivers switch over meanwhile). */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** What the owner sees of an endpoint: never its secret. */
export interface EndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  createdAt: Date;
  rotating: boolean;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
}

export function viewOf(record: EndpointRecord, now: Date): EndpointView {
  return {
    id: record.id,
    url: record.url,
    description: record.description,
    eventTypes: record.eventTypes,
    enabled: record.enabled,
    createdAt: record.createdAt,
    rotating: liveSecrets(record, now).length > 1,
    failingSince: record.failingSince,
    disabledAt: record.disabledAt,
    disabledReason: record.disabledReason,
  };
}

/** The secrets a delivery is signed with now: the current one, and the previous one during its overlap. */
export function liveSecrets(record: EndpointRecord, now: Date): string[] {
  const previous =
    record.previousSecret && record.previousExpiresAt && record.previousExpiresAt > now
      ? [record.previousSecret]
      : [];
  return [record.secret, ...previous];
}

export function newEndpointRecord(
  fields: Pick<EndpointRecord, 'tenantId' | 'url' | 'description' | 'eventTypes' | 'secret' | 'createdBy'>,
  now: Date,
): EndpointRecord {
  return {
    ...fields,
    id: `ep_${randomUUID().replaceAll('-', '')}`,
    enabled: true,
    previousSecret: null,
    previousExpiresAt: null,
    createdAt: now,
    failingSince: null,
    disabledAt: null,
    disabledReason: null,
  };
}

/** The worker's view of the endpoint table (see `EndpointDirectory` in @guildmint/sdk/webhooks). */
export function endpointDirectory(
  store: EndpointStore,
  o: {
    now: () => Date;
    /** After the worker disabled an endpoint (the tenant's event switch follows: `syncEventRecording`). */
    disabled?: (endpoint: WebhookEndpoint) => Promise<void>;
    notify?: (endpoint: WebhookEndpoint, reason: string) => void;
  },
): EndpointDirectory {
  const toEndpoint = (record: EndpointRecord): WebhookEndpoint => ({
    id: record.id,
    tenant: record.tenantId,
    url: record.url,
    secrets: liveSecrets(record, o.now()),
    eventTypes: record.eventTypes,
    failingSince: record.failingSince,
  });
  return {
    enabled: async (tenant) => (await store.list(tenant)).filter((r) => r.enabled).map(toEndpoint),
    byIds: async (ids) => new Map((await store.enabledByIds(ids)).map((r) => [r.id, toEndpoint(r)])),
    succeeded: async (endpoint) => {
      await store.update(endpoint.tenant, endpoint.id, { failingSince: null });
    },
    failed: async (endpoint, at) => {
      await store.update(endpoint.tenant, endpoint.id, { failingSince: at });
    },
    disable: async (endpoint, reason, at) => {
      await store.update(endpoint.tenant, endpoint.id, {
        enabled: false,
        disabledAt: at,
        disabledReason: reason,
      });
      await o.disabled?.(endpoint);
      // The owner is told on the developers page (the reason stays there) and by `notify`, when given.
      o.notify?.(endpoint, reason);
    },
  };
}
