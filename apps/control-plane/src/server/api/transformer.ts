import type { CombinedDataTransformer } from '@trpc/server';
import SuperJSON, { type SuperJSONResult } from 'superjson';
import { parseAmount } from '../sdk';

/**
 * superjson, except that a bigint in a request must be plain decimal digits. superjson reads an
 * annotated bigint with `BigInt(text)`, which takes `" 7 "` as 7n and `"0x10"` as 16n; here every such
 * annotation is read by the SDK's `parseAmount` instead (the only bigints the API takes are amounts),
 * and anything else is refused before a procedure sees it. Responses are plain superjson.
 */

const STRICT = 'amount';
const strict = new SuperJSON();
strict.registerCustom<bigint, string>(
  {
    isApplicable: (value): value is bigint => typeof value === 'bigint',
    serialize: (value) => value.toString(),
    deserialize: (text) => parseAmount(text),
  },
  STRICT,
);

/** superjson's annotation tree (`MinimisedTree`), walked without depending on its exact type. */
type Tree = unknown;

/** Every `bigint` annotation in superjson's meta tree, read the strict way instead. */
function strictBigints(tree: Tree): Tree {
  if (Array.isArray(tree)) {
    const [annotation, children] = tree as [unknown, Record<string, Tree> | undefined];
    const strictAnnotation = annotation === 'bigint' ? ['custom', STRICT] : annotation;
    return children === undefined
      ? [strictAnnotation]
      : [strictAnnotation, mapValues(children, strictBigints)];
  }
  if (tree !== null && typeof tree === 'object')
    return mapValues(tree as Record<string, Tree>, strictBigints);
  return tree;
}

function mapValues(record: Record<string, Tree>, f: (tree: Tree) => Tree): Record<string, Tree> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}

export const transformer: CombinedDataTransformer = {
  input: {
    serialize: (value) => SuperJSON.serialize(value),
    deserialize: (payload: SuperJSONResult) => {
      const values = payload?.meta?.values;
      if (values === undefined) return strict.deserialize(payload);
      const meta = { ...payload.meta, values: strictBigints(values) } as NonNullable<SuperJSONResult['meta']>;
      return strict.deserialize({ ...payload, meta });
    },
  },
  output: SuperJSON,
};
