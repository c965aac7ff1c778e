/** Discord's epoch (2015-01-01T00:00:00Z): snowflakes carry milliseconds since it in their top 42 bits. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

/** The shard a guild's events go to: `(guild_id >> 22) % shard_count`, as Discord computes it. */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * A guild id that lands on `shardId` of `shardCount` — for tests that need a guild on a given shard.
 * `nth` picks among such ids, so several guilds can share a shard.
 */
export function guildIdForShard(shardId: number, shardCount: number, nth = 0): string {
  if (!Number.isInteger(shardId) || shardId < 0 || shardId >= shardCount) {
    throw new RangeError(`shard ${shardId} is not in [0, ${shardCount})`);
  }
  // A fixed base in 2024 keeps the ids realistic; step by whole shard cycles.
  const base = (1_704_067_200_000n - DISCORD_EPOCH) / BigInt(shardCount);
  const timestamp = (base + BigInt(nth)) * BigInt(shardCount) + BigInt(shardId);
  return (timestamp << 22n).toString();
}

/** The creation time encoded in a snowflake. */
export function snowflakeTime(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH));
}

/** Hands out increasing snowflakes stamped with the simulator's clock; never repeats one. */
export class SnowflakeGenerator {
  private last = 0n;

  constructor(private readonly now: () => number) {}

  next(): string {
    const stamped = (BigInt(Math.floor(this.now())) - DISCORD_EPOCH) << 22n;
    this.last = stamped > this.last ? stamped : this.last + 1n;
    return this.last.toString();
  }
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,20}$/.test(value);
}
