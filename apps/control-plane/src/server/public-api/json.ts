/** An SDK result as JSON: bigints as decimal strings (amounts), dates as ISO 8601 (their toJSON). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}
