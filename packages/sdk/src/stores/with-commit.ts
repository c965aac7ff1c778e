import type { Store } from './types.js';

/** The store with its `commit` replaced; every other member is the store's own (methods bound to it). */
export function withCommit(store: Store, commit: Store['commit']): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'commit') return commit;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
