/**
 * Which Discord shards this process runs. Discord routes a guild to shard `(guild_id >> 22) % count`;
 * several processes split the shards, each taking a contiguous range (process i of N).
 */
export type ShardPlan =
  /** These shards of `count`. */
  | { kind: 'ids'; ids: number[]; count: number }
  /** Process `index` of `processes`; `count` shards in all (absent: Discord's recommendation). */
  | { kind: 'process'; index: number; processes: number; count?: number }
  /** One process runs every shard Discord recommends. */
  | { kind: 'auto' }
  /** Shards leased through Redis by any number of processes (see ./fleet). */
  | FleetPlan;

/** `GUILDMINT_SHARDS=fleet`: processes on any hosts split the shards through leases in Redis. */
export interface FleetPlan {
  kind: 'fleet';
  redisUrl: string;
  /** The shard count, if this process is the first to set it (default: Discord's recommendation). */
  count?: number;
  /** A shard lease runs this long unless renewed; a dead process's shards move after at most this. */
  leaseMs: number;
  /** Discord's identify window for one concurrency bucket (5 s). */
  identifyWindowMs: number;
  /** Key prefix in Redis (default `guildmint:fleet:<applicationId>:`). */
  prefix?: string;
}

/** "0,1,4-7" → [0, 1, 4, 5, 6, 7] (sorted, unique); throws on anything else. */
export function parseShardIds(text: string): number[] {
  const ids = new Set<number>();
  for (const part of text.split(',')) {
    const item = part.trim();
    const range = /^(\d{1,4})\s*-\s*(\d{1,4})$/.exec(item);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (from > to) throw new Error(`shard range "${item}" runs backwards`);
      for (let id = from; id <= to; id++) ids.add(id);
    } else if (/^\d{1,4}$/.test(item)) {
      ids.add(Number(item));
    } else {
      throw new Error(`"${item}" is not a shard id or range (use e.g. 0,1 or 0-3)`);
    }
  }
  return [...ids].sort((a, b) => a - b);
}

/** The contiguous range of shards process `index` of `processes` runs when there are `count` shards. */
export function shardRange(index: number, processes: number, count: number): number[] {
  if (!Number.isInteger(processes) || processes < 1) throw new Error('the process count must be at least 1');
  if (!Number.isInteger(index) || index < 0 || index >= processes) {
    throw new Error(`process index ${index} is outside 0..${processes - 1}`);
  }
  if (!Number.isInteger(count) || count < processes) {
    throw new Error(`${count} shard(s) cannot be split over ${processes} processes`);
  }
  // floor(i·count/processes) … floor((i+1)·count/processes) − 1: ranges differ in size by at most one.
  const from = Math.floor((index * count) / processes);
  const to = Math.floor(((index + 1) * count) / processes);
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/** The shard Discord sends a guild's events to. */
export function shardForGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Turns a plan into concrete shard ids, asking Discord (`recommended`) only when the count is unknown. */
export async function resolveShards(
  plan: Exclude<ShardPlan, FleetPlan>,
  recommended: () => Promise<number>,
): Promise<{ ids: number[]; count: number } | 'auto'> {
  switch (plan.kind) {
    case 'auto':
      return 'auto';
    case 'ids':
      return { ids: plan.ids, count: plan.count };
    case 'process': {
      // Every process must agree on the count; Discord's recommendation is the same for all of them,
      // raised to the process count so that none is left without a shard.
      const count = plan.count ?? Math.max(await recommended(), plan.processes);
      return { ids: shardRange(plan.index, plan.processes, count), count };
    }
  }
}
