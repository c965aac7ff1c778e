import type { SimGatewayEvent, SimShardTally } from '../types.js';

const COUNTED = {
  identify: 'identifies',
  resumed: 'resumes',
  'identify-throttled': 'throttled',
} as const satisfies Partial<Record<SimGatewayEvent['kind'], keyof SimShardTally>>;

/** Sessions started, resumed and refused per shard, read from the gateway's event log (sorted by shard). */
export function tallyShards(events: readonly SimGatewayEvent[]): SimShardTally[] {
  const tallies = new Map<number, SimShardTally>();
  for (const event of events) {
    const field = COUNTED[event.kind as keyof typeof COUNTED];
    if (field === undefined || event.shard < 0) continue;
    let tally = tallies.get(event.shard);
    if (!tally) {
      tally = { shard: event.shard, identifies: 0, resumes: 0, throttled: 0 };
      tallies.set(event.shard, tally);
    }
    tally[field]++;
  }
  return [...tallies.values()].sort((a, b) => a.shard - b.shard);
}
