/**
 * API v1's JSON back into the SDK's types: amounts (decimal strings in named fields) as bigints and
 * ISO 8601 times as Dates, exactly as the SDK's own calls return them.
 */
const AMOUNT_FIELDS = new Set([
  'amount',
  'balance',
  'tax',
  'fee',
  'interest',
  'payout',
  'bet',
  'wallet',
  'bank',
  'total',
  'price',
  'refund',
]);
const AMOUNT = /^-?[0-9]+$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function reviveJson(text: string): unknown {
  return JSON.parse(text, (name, value) => {
    if (typeof value !== 'string') return value;
    if (AMOUNT_FIELDS.has(name) && AMOUNT.test(value)) return BigInt(value);
    if (TIME.test(value)) return new Date(value);
    return value;
  });
}
