import { invalidParam } from '../errors.js';

/** A request's parameters after bracket notation is unfolded: strings, arrays and nested objects. */
export type ParamValue = string | ParamValue[] | { [key: string]: ParamValue };
export type Params = { [key: string]: ParamValue };

/**
 * Unfolds Stripe's form encoding (`a[b][0][c]=v`, `expand[]=x`, `expand[0]=x`) into nested values, as
 * stripe-node writes it. Objects whose keys are all indices become arrays, in index order.
 */
export function parseForm(body: string): Params {
  const root: Params = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) throw invalidParam(rawKey, `Invalid parameter name: ${rawKey}`);
    const path = [
      match[1] as string,
      ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? ''),
    ];
    let node: Record<string, ParamValue> = root;
    for (let i = 0; i < path.length; i++) {
      let key = path[i] as string;
      if (key === '') key = String(Object.keys(node).length); // `a[]`: append
      if (i === path.length - 1) {
        node[key] = value;
        break;
      }
      const next = node[key];
      if (typeof next === 'string' || Array.isArray(next))
        throw invalidParam(rawKey, `Invalid parameter: ${rawKey}`);
      node[key] = next ?? {};
      node = node[key] as Record<string, ParamValue>;
    }
  }
  return toArrays(root) as Params;
}

function toArrays(value: ParamValue): ParamValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const unfolded = Object.fromEntries(keys.map((k) => [k, toArrays(value[k] as ParamValue)]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => unfolded[String(k)] as ParamValue);
  }
  return unfolded;
}
