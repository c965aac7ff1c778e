import type { Operation } from './operation';
import { operations } from './operations';

/** Where API v1 lives; every operation is under its tenant's path. */
export const API_BASE = '/api/v1';
export const TENANT_BASE = `${API_BASE}/tenants/{tenantId}`;

interface Route {
  operation: Operation;
  pattern: RegExp;
  params: string[];
}

const routes: Route[] = operations.map((operation) => {
  const params: string[] = ['tenantId'];
  const source = `${TENANT_BASE}${operation.path}`
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (param[1] !== 'tenantId') params.push(param[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { operation, pattern: new RegExp(`^${source}$`), params };
});

/** Path parameters of an operation, in the order of its path. */
export const pathParams = (operation: Operation): string[] =>
  [...`${operation.path}`.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/**
 * The operation a method and path name, with its decoded path parameters; `methods` lists what the
 * path allows when only the method is wrong (405); null when no operation has this path (404).
 */
export function match(
  method: string,
  pathname: string,
): { operation: Operation; params: Record<string, string> } | { methods: string[] } | null {
  const methods: string[] = [];
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    if (route.operation.method !== method) {
      methods.push(route.operation.method);
      continue;
    }
    let params: Record<string, string>;
    try {
      params = Object.fromEntries(
        route.params.map((name, i) => [name, decodeURIComponent(found[i + 1] as string)]),
      );
    } catch {
      return null; // a malformed %-escape names no resource
    }
    return { operation: route.operation, params };
  }
  return methods.length ? { methods } : null;
}
