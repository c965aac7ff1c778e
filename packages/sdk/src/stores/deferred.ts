import { lazily } from '../drivers.js';
import type { Store } from './types.js';

/** The Store methods that return a promise: each can wait for the store to open. */
type AsyncMethod = {
  [K in keyof Store]-?: NonNullable<Store[K]> extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof Store];

/**
 * A store opened on its first use: its module, and the driver package that module imports, load
 * when the economy's first call (its migration) reaches it, not when the SDK is imported. Every
 * method waits for the store to open; an open that fails fails that call, and the next one retries.
 */
export function deferredStore(kind: Store['kind'], open: () => Promise<Store>): Store {
  const opened = lazily(open);
  const store = () => opened.get();
  const forward = <K extends AsyncMethod>(name: K): Store[K] =>
    (async (...args: unknown[]) => {
      const target = await store();
      return (target[name] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
    }) as Store[K];

  return {
    kind,
    migrate: forward('migrate'),
    commit: forward('commit'),
    balance: forward('balance'),
    findTransfers: forward('findTransfers'),
    findBatch: forward('findBatch'),
    listTransfers: forward('listTransfers'),
    findReversed: forward('findReversed'),
    audit: forward('audit'),
    setFrozen: forward('setFrozen'),
    readStates: forward('readStates'),
    scanState: forward('scanState'),
    listAudit: forward('listAudit'),
    flows: forward('flows'),
    topBalances: forward('topBalances'),
    userBalances: forward('userBalances'),
    rankedMembers: forward('rankedMembers'),
    memberRank: forward('memberRank'),
    rankedMembersPage: forward('rankedMembersPage'),
    memberBalances: forward('memberBalances'),
    memberCensus: forward('memberCensus'),
    putConfig: forward('putConfig'),
    getConfig: forward('getConfig'),
    latestConfigVersion: forward('latestConfigVersion'),
    listConfigs: forward('listConfigs'),
    isFrozen: forward('isFrozen'),
    moneySupply: forward('moneySupply'),
    readRollups: forward('readRollups'),
    readRollupPeriods: forward('readRollupPeriods'),
    readRollupCuts: forward('readRollupCuts'),
    replaceRollups: forward('replaceRollups'),
    recordMemberProfile: forward('recordMemberProfile'),
    listMembers: forward('listMembers'),
    recordEvents: forward('recordEvents'),
    claimEvents: forward('claimEvents'),
    dispatchEvents: forward('dispatchEvents'),
    claimDeliveries: forward('claimDeliveries'),
    recordAttempts: forward('recordAttempts'),
    listDeliveries: forward('listDeliveries'),
    listAttempts: forward('listAttempts'),
    replayDeliveries: forward('replayDeliveries'),
    cancelDeliveries: forward('cancelDeliveries'),
    pruneOutbox: forward('pruneOutbox'),
    watchConfigs(listener, live) {
      let stop: (() => void) | undefined;
      let stopped = false;
      store().then(
        (target) => {
          // `live` too: without it the economy never learns that it hears every publish, and each tenant
          // re-reads its config every second.
          if (!stopped) stop = target.watchConfigs?.(listener, live);
        },
        // The store failed to open: the economy's next call reports why.
        () => {},
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },
    async close() {
      // Never opened (or failed to): nothing to release.
      const target = await opened.loaded();
      await target?.close();
    },
  };
}
