import { type ClusterStorage, isClusterStorage } from '../placement/clusters.js';
import { openClusterStore } from '../placement/open.js';
import { systemClock } from '../stores/clock.js';
import { openStore } from '../stores/open.js';
import type { OutboxStore } from '../stores/outbox.js';
import { type EconomyStore, writePathOf } from '../stores/public-store.js';

/** The outbox of an economy's storage, for the delivery worker and the delivery log. */
export interface WebhookOutbox extends OutboxStore {
  close(): Promise<void>;
}

/**
 * Opens the outbox of the storage an economy uses (the same URL, or the same `Store` object, which
 * `:memory:` needs): its tables are created or upgraded first. Closing it closes a store it opened.
 */
export function openWebhookOutbox(storage: string | ClusterStorage | EconomyStore): WebhookOutbox {
  const owned = typeof storage === 'string' || isClusterStorage(storage);
  const store =
    typeof storage === 'string'
      ? openStore(storage, systemClock)
      : isClusterStorage(storage)
        ? openClusterStore(storage, systemClock)
        : writePathOf(storage);
  let migrated: Promise<void> | undefined;
  const ready = () => {
    migrated ??= store.migrate().catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    return migrated;
  };
  const call =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await ready();
      return method.apply(store, args);
    };
  return {
    recordEvents: call(store.recordEvents),
    claimEvents: call(store.claimEvents),
    dispatchEvents: call(store.dispatchEvents),
    claimDeliveries: call(store.claimDeliveries),
    recordAttempts: call(store.recordAttempts),
    listDeliveries: call(store.listDeliveries),
    listAttempts: call(store.listAttempts),
    replayDeliveries: call(store.replayDeliveries),
    cancelDeliveries: call(store.cancelDeliveries),
    pruneOutbox: call(store.pruneOutbox),
    close: async () => {
      if (owned) await store.close();
    },
  };
}
