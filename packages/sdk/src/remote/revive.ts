/**
 * API v1's JSON back into the SDK's types: amounts (decimal strings in named fields) as bigints and
 * ISO 8601 times as Dates, exactly as the SDK's own calls return them. The names are those of the
 * SDK's public bigint fields; API v1 writes a bigint as a string and leaves numbers as numbers, so a
 * numeric field of the same name elsewhere stays a number.
 */
const AMOUNT_FIELDS = new Set([
  'amount',
  'balance',
  'bank',
  'banked',
  'base',
  'bet',
  'bonus',
  'burned',
  'coins',
  'credit',
  'debit',
  'delta',
  'escrow',
  'extraStake',
  'fee',
  'held',
  'houseCut',
  'houseTake',
  'interest',
  'max',
  'milestoneBonus',
  'min',
  'minTransfer',
  'minted',
  'moneySupply',
  'net',
  'netEmission',
  'netIssuancePerDay',
  'paidOut',
  'payout',
  'pot',
  'price',
  'prize',
  'refund',
  'reserve',
  'robberWallet',
  'stake',
  'supply',
  'supplyBefore',
  'supplyChange',
  'supplyEnd',
  'supplyNow',
  'supplyStart',
  'targetWallet',
  'tax',
  'ticketPrice',
  'toMembers',
  'today',
  'top',
  'total',
  'value',
  'volume',
  'wagered',
  'wallet',
  'weighted',
]);
const AMOUNT = /^-?[0-9]+$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * What the SDK itself returns as stored JSON, left as it is: a game's outcome and proof (the proof is
 * hashed as written), a transfer's metadata (the caller's own), an audit entry's details, a config.
 */
const OPAQUE_FIELDS = new Set(['outcome', 'proof', 'metadata', 'details', 'config']);

export function reviveJson(text: string): unknown {
  return revive(JSON.parse(text), '');
}

function revive(value: unknown, name: string): unknown {
  if (typeof value === 'string') {
    if (AMOUNT_FIELDS.has(name) && AMOUNT.test(value)) return BigInt(value);
    return TIME.test(value) ? new Date(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => revive(item, ''));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, OPAQUE_FIELDS.has(key) ? item : revive(item, key)]),
  );
}
