import { ErrorCode, GuildmintError } from '../errors.js';

/**
 * Tenants placed across several PostgreSQL clusters: each cluster by name and URL (a multi-host URL for a
 * highly available one), and the cluster whose database holds the placement directory (default: the first
 * named). `createEconomy({ storage: { clusters: { a: 'postgres://…', b: 'postgres://…' } } })`.
 */
export interface ClusterStorage {
  clusters: Record<string, string>;
  directory?: string;
}

const CLUSTER_NAME = /^[a-z0-9_-]{1,32}$/;
const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** Is `storage` the cluster form (not a URL, not a store)? */
export function isClusterStorage(storage: unknown): storage is ClusterStorage {
  return typeof storage === 'object' && storage !== null && 'clusters' in storage && !('commit' in storage);
}

/**
 * The clusters of `GUILDMINT_CLUSTERS`: `name=postgres://…` entries separated by `;` or whitespace (not by
 * commas: a multi-host URL holds commas). INVALID_INPUT for a malformed entry, a bad name or a name twice.
 */
export function parseClusters(text: string): Record<string, string> {
  const clusters: Record<string, string> = {};
  for (const entry of text.split(/[;\s]+/).filter(Boolean)) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, Math.max(0, at));
    const url = entry.slice(at + 1);
    if (at < 0 || !CLUSTER_NAME.test(name) || !POSTGRES_URL.test(url) || name in clusters) {
      throw new GuildmintError(
        ErrorCode.INVALID_INPUT,
        `GUILDMINT_CLUSTERS: ${JSON.stringify(entry.replace(/\/\/[^@/]*@/, '//…@'))} is not name=postgres://… (names of a-z, 0-9, _ and -, each once)`,
      );
    }
    clusters[name] = url;
  }
  return clusters;
}

/** The checked cluster settings: names sorted, the directory's cluster named. */
export function checkedClusters(storage: ClusterStorage): { names: string[]; directory: string } {
  const names = Object.keys(storage.clusters);
  const bad = names.find((n) => !CLUSTER_NAME.test(n) || !POSTGRES_URL.test(storage.clusters[n] ?? ''));
  if (names.length === 0 || bad !== undefined) {
    throw new GuildmintError(
      ErrorCode.INVALID_INPUT,
      bad === undefined
        ? 'storage.clusters names no cluster'
        : `storage.clusters.${bad}: a name of a-z, 0-9, _ and - with a postgres:// URL`,
    );
  }
  const directory = storage.directory ?? names[0]!;
  if (!names.includes(directory)) {
    throw new GuildmintError(
      ErrorCode.INVALID_INPUT,
      `storage.directory ${directory} is not one of the clusters`,
    );
  }
  return { names: [...names].sort(), directory };
}
