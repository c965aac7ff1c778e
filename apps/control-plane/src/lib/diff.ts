/** A change between two JSON values, at a dotted path. */
export interface Change {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every leaf that differs, in a stable order. Arrays of scalars compare as one value (a list of role
 * ids is one setting); arrays of objects compare item by item.
 */
export function diff(before: unknown, after: unknown, path: string[] = []): Change[] {
  const at = path.join('.');
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      if (!(key in after))
        return [{ path: [...path, key].join('.'), kind: 'removed' as const, before: before[key] }];
      if (!(key in before))
        return [{ path: [...path, key].join('.'), kind: 'added' as const, after: after[key] }];
      return diff(before[key], after[key], [...path, key]);
    });
  }
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    [...before, ...after].some((v) => typeof v === 'object' && v !== null)
  ) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => {
      if (i >= after.length)
        return [{ path: [...path, String(i)].join('.'), kind: 'removed' as const, before: before[i] }];
      if (i >= before.length)
        return [{ path: [...path, String(i)].join('.'), kind: 'added' as const, after: after[i] }];
      return diff(before[i], after[i], [...path, String(i)]);
    }).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path: at, kind: 'changed', before, after }];
}

/** A short, readable rendering of a changed value. */
export function show(value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'none';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
