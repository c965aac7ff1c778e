/** Reading and immutably writing inside plain JSON values by path (the editor's draft). */

export type Path = ReadonlyArray<string | number>;

export function getAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** A copy of `root` with `value` at `path` (containers created as needed); `undefined` removes the key. */
export function setAt<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [key, ...rest] = path as [string | number, ...Array<string | number>];
  const container: unknown = root ?? (typeof key === 'number' ? [] : {});
  if (Array.isArray(container)) {
    const copy = [...container];
    copy[key as number] = setAt(copy[key as number], rest, value);
    return copy as T;
  }
  const copy = { ...(container as Record<string, unknown>) };
  const next = setAt(copy[key], rest, value);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy as T;
}

export function pathKey(path: Path): string {
  return path.join('.');
}
