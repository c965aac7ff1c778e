import { invalidParam } from '../errors.js';
import type { StripeObject } from '../store.js';

/** Fields that exist only when expanded (a session's `line_items`): type → field → the value. */
export type Virtuals = Record<string, Record<string, (obj: StripeObject) => unknown>>;

/**
 * Applies `expand[]` paths (`subscription`, `line_items`, `data.product`, `items.data.price.product`) to a
 * copy of the answer: an id along the path is replaced by its object, looked up on the same account.
 */
export function expand(
  value: unknown,
  paths: string[],
  resolve: (id: string) => StripeObject | undefined,
  virtuals: Virtuals,
): unknown {
  const root = structuredClone(value);
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > 4)
      throw invalidParam('expand', `You cannot expand more than 4 levels of a property: ${path}`);
    walk(root, segments, path, resolve, virtuals);
  }
  return root;
}

function walk(
  node: unknown,
  segments: string[],
  path: string,
  resolve: (id: string) => StripeObject | undefined,
  virtuals: Virtuals,
): void {
  if (segments.length === 0 || node === null || typeof node !== 'object') return;
  const [field, ...rest] = segments as [string, ...string[]];
  const obj = node as Record<string, unknown>;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, segments, path, resolve, virtuals);
    return;
  }
  const virtual = typeof obj.object === 'string' ? virtuals[obj.object]?.[field] : undefined;
  if (virtual && !(field in obj)) obj[field] = structuredClone(virtual(obj as StripeObject));
  if (!(field in obj)) throw invalidParam('expand', `This property cannot be expanded (${path}).`);
  const current = obj[field];
  if (typeof current === 'string') {
    const found = resolve(current);
    if (!found) throw invalidParam('expand', `This property cannot be expanded (${path}).`);
    obj[field] = structuredClone(found);
  }
  walk(obj[field], rest, path, resolve, virtuals);
}
