import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Economy,
  type ErrorCode,
  GuildmintError,
  MAX_AMOUNT,
  type Tenant,
  type Transfer,
} from '../../src/index.js';
import { type StoreTarget, tableRows } from '../support/stores.js';

/**
 * Bad input to the ledger, one row each: the call must fail with exactly the given `GuildmintError`
 * code and change nothing (balances, the transfer history, `verify()`).
 */

/** The ledger as an untyped caller (plain JavaScript, a bot passing user input through) sees it. */
interface LooseLedger {
  transfer(t: unknown): Promise<unknown>;
  transferAll(ts: unknown): Promise<unknown>;
  balance(account: unknown): Promise<unknown>;
  transfers(q?: unknown): Promise<unknown>;
  reverse(transferId: unknown, opts?: unknown): Promise<unknown>;
}

interface Context {
  economy: Economy;
  tenant: Tenant;
  ledger: LooseLedger;
}

interface Row {
  name: string;
  code: ErrorCode;
  call(ctx: Context): unknown;
}

const ALICE = 'user:alice';
const BOB = 'user:bob';
const CAROL = 'user:carol';
const FAUCET = 'faucet:seed';
const SINK = 'sink:shop';
const HOUSE = 'house:dice';
const ACCOUNTS = [ALICE, BOB, CAROL, FAUCET, SINK, HOUSE];

const DROP = "user:1'; DROP TABLE gm_transfers;--";
const OR_TRUE = "' OR 1=1 --";
const cursorOf = (text: string) => `gm1.${Buffer.from(text, 'utf8').toString('base64url')}`;

/** A transfer that would succeed, to be spoiled one field at a time. */
function valid(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { from: ALICE, to: BOB, amount: 10n, code: 'transfer.p2p', ...overrides };
}

function without(key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = valid();
  return rest;
}

function circular(): Record<string, unknown> {
  const meta: Record<string, unknown> = { a: 1 };
  meta.self = meta;
  return meta;
}

const transferRows: Row[] = [
  // amounts
  { name: 'amount 0n', code: 'INVALID_AMOUNT', call: ({ ledger }) => ledger.transfer(valid({ amount: 0n })) },
  {
    name: "the reserved code 'reversal' (a frozen sender must not pass as a reversal)",
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ code: 'reversal' })),
  },
  {
    name: 'amount -1n',
    code: 'INVALID_AMOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ amount: -1n })),
  },
  {
    name: 'amount 1 (number)',
    code: 'INVALID_AMOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ amount: 1 })),
  },
  {
    name: 'amount 1.5',
    code: 'INVALID_AMOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ amount: 1.5 })),
  },
  {
    name: 'amount NaN',
    code: 'INVALID_AMOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ amount: Number.NaN })),
  },
  {
    name: 'amount Infinity',
    code: 'INVALID_AMOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ amount: Number.POSITIVE_INFINITY })),
  },
  {
    name: "amount '100' (string)",
    code: 'INVALID_AMOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ amount: '100' })),
  },
  {
    name: 'amount null',
    code: 'INVALID_AMOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ amount: null })),
  },
  {
    name: 'amount missing',
    code: 'INVALID_AMOUNT',
    call: ({ ledger }) => ledger.transfer(without('amount')),
  },
  {
    name: 'amount 2^63 (one past the limit)',
    code: 'AMOUNT_OVERFLOW',
    call: ({ ledger }) => ledger.transfer(valid({ from: FAUCET, amount: 2n ** 63n })),
  },
  {
    name: 'amount 2^64',
    code: 'AMOUNT_OVERFLOW',
    call: ({ ledger }) => ledger.transfer(valid({ from: FAUCET, amount: 2n ** 64n })),
  },
  // accounts
  {
    name: "unknown kind 'bank:1'",
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ from: 'bank:1' })),
  },
  {
    name: "missing colon 'user1'",
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ to: 'user1' })),
  },
  {
    name: "empty account ''",
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ from: '' })),
  },
  {
    name: "empty id 'user:'",
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ to: 'user:' })),
  },
  {
    name: 'account id of 65 characters',
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ to: `user:${'x'.repeat(65)}` })),
  },
  {
    name: "upper-case kind 'User:1'",
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ to: 'User:1' })),
  },
  {
    name: "space in id 'user:a b'",
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ to: 'user:a b' })),
  },
  {
    name: "second colon 'user:1:2'",
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ to: 'user:1:2' })),
  },
  {
    name: "non-ASCII 'user:é'",
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ to: 'user:é' })),
  },
  {
    name: 'account as a number',
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ from: 123 })),
  },
  { name: 'from missing', code: 'INVALID_ACCOUNT', call: ({ ledger }) => ledger.transfer(without('from')) },
  {
    name: 'SQL in from',
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ from: DROP })),
  },
  {
    name: 'SQL in to',
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfer(valid({ to: `user:${OR_TRUE}` })),
  },
  {
    name: 'from === to (user)',
    code: 'INVALID_TRANSFER',
    call: ({ ledger }) => ledger.transfer(valid({ to: ALICE })),
  },
  {
    name: 'from === to (faucet)',
    code: 'INVALID_TRANSFER',
    call: ({ ledger }) => ledger.transfer(valid({ from: FAUCET, to: FAUCET })),
  },
  // codes
  { name: "code ''", code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transfer(valid({ code: '' })) },
  { name: 'code missing', code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transfer(without('code')) },
  {
    name: 'code as a number',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ code: 7 })),
  },
  {
    name: 'code of 65 characters',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ code: 'c'.repeat(65) })),
  },
  {
    name: "code starting with a digit '1abc'",
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ code: '1abc' })),
  },
  {
    name: 'SQL in code',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ code: OR_TRUE })),
  },
  // ids
  { name: "id ''", code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transfer(valid({ id: '' })) },
  {
    name: 'id of 129 characters',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ id: 'i'.repeat(129) })),
  },
  { name: 'id as a number', code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transfer(valid({ id: 42 })) },
  {
    name: "non-ASCII id 'é'",
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ id: 'é' })),
  },
  {
    name: 'SQL with spaces as id',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ id: OR_TRUE })),
  },
  // metadata
  {
    name: 'metadata over 4096 bytes of JSON',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { note: 'm'.repeat(4096) } })),
  },
  {
    name: 'metadata over 4096 bytes but under 4096 characters (multi-byte)',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { note: 'é'.repeat(2100) } })),
  },
  {
    name: 'metadata holding a bigint',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { amount: 5n } })),
  },
  {
    name: 'metadata holding a function',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { fn: () => 1 } })),
  },
  {
    name: 'circular metadata',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: circular() })),
  },
  {
    name: 'metadata holding NaN',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { n: Number.NaN } })),
  },
  {
    name: 'metadata holding a Date',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { at: new Date(0) } })),
  },
  {
    name: 'metadata as an array',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: [1] })),
  },
  {
    name: 'metadata as a string',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: 'x' })),
  },
  {
    name: 'metadata null',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: null })),
  },
  // the transfer itself
  { name: 'transfer(null)', code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transfer(null) },
  { name: "transfer('x')", code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transfer('x') },
  { name: 'transfer([])', code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transfer([]) },
  // valid shape, refused by the state of the ledger
  {
    name: 'more than the balance',
    code: 'INSUFFICIENT_FUNDS',
    call: ({ ledger }) => ledger.transfer(valid({ from: BOB, to: ALICE, amount: 501n })),
  },
  {
    name: 'a member who never had money pays (no row of theirs may appear)',
    code: 'INSUFFICIENT_FUNDS',
    call: ({ ledger }) => ledger.transfer(valid({ from: 'user:newcomer', to: ALICE, amount: 1n })),
  },
  {
    name: 'a member who never had money pays another who never had any',
    code: 'INSUFFICIENT_FUNDS',
    call: ({ ledger }) => ledger.transfer(valid({ from: 'user:newcomer', to: 'user:stranger', amount: 1n })),
  },
  {
    name: 'a used id with other content',
    code: 'IDEMPOTENCY_CONFLICT',
    call: ({ ledger }) =>
      ledger.transfer({ id: 'seed-1', from: FAUCET, to: ALICE, amount: 1001n, code: 'faucet.seed' }),
  },
];

const batchRows: Row[] = [
  { name: 'transferAll([])', code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transferAll([]) },
  { name: 'transferAll(null)', code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transferAll(null) },
  {
    name: 'transferAll(an object)',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transferAll(valid()),
  },
  {
    name: 'transferAll with a null element',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transferAll([valid({ id: 'b-1' }), null]),
  },
  {
    name: 'duplicate ids in one batch',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transferAll([valid({ id: 'dup' }), valid({ id: 'dup', amount: 1n })]),
  },
  {
    name: 'a bad amount after a good transfer',
    code: 'INVALID_AMOUNT',
    call: ({ ledger }) => ledger.transferAll([valid({ id: 'b-2' }), valid({ id: 'b-3', amount: 0n })]),
  },
  {
    name: 'a later transfer overdraws: none is applied',
    code: 'INSUFFICIENT_FUNDS',
    call: ({ ledger }) =>
      ledger.transferAll([
        valid({ id: 'b-4', from: FAUCET, to: CAROL, amount: 50n, code: 'faucet.seed' }),
        valid({ id: 'b-5', from: CAROL, to: BOB, amount: 51n }),
      ]),
  },
  {
    name: 'a used id among new ones',
    code: 'IDEMPOTENCY_CONFLICT',
    call: ({ ledger }) =>
      ledger.transferAll([
        { id: 'seed-1', from: FAUCET, to: ALICE, amount: 1000n, code: 'faucet.seed' },
        valid({ id: 'b-6', from: FAUCET, to: CAROL, amount: 5n }),
      ]),
  },
  {
    name: 'more than 1000 transfers',
    code: 'INVALID_INPUT',
    call: ({ ledger }) =>
      ledger.transferAll(
        Array.from({ length: 1001 }, (_, i) => valid({ id: `big-${i}`, from: FAUCET, amount: 1n })),
      ),
  },
];

const readRows: Row[] = [
  { name: "balance('bank:1')", code: 'INVALID_ACCOUNT', call: ({ ledger }) => ledger.balance('bank:1') },
  { name: "balance('')", code: 'INVALID_ACCOUNT', call: ({ ledger }) => ledger.balance('') },
  { name: 'balance(undefined)', code: 'INVALID_ACCOUNT', call: ({ ledger }) => ledger.balance(undefined) },
  {
    name: 'balance of 65-character id',
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.balance(`user:${'x'.repeat(65)}`),
  },
  { name: 'balance with SQL', code: 'INVALID_ACCOUNT', call: ({ ledger }) => ledger.balance(DROP) },
  { name: 'transfers limit 0', code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transfers({ limit: 0 }) },
  {
    name: 'transfers limit 1001',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ limit: 1001 }),
  },
  {
    name: 'transfers limit 1.5',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ limit: 1.5 }),
  },
  {
    name: 'transfers limit -1',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ limit: -1 }),
  },
  {
    name: "transfers limit '10'",
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ limit: '10' }),
  },
  {
    name: 'transfers limit NaN',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ limit: Number.NaN }),
  },
  {
    name: "transfers cursor 'garbage'",
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ cursor: 'garbage' }),
  },
  {
    name: 'transfers cursor with SQL',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ cursor: OR_TRUE }),
  },
  {
    name: 'transfers cursor encoding SQL',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ cursor: cursorOf('1 OR 1=1') }),
  },
  {
    name: 'transfers cursor at position 0',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ cursor: cursorOf('0') }),
  },
  {
    name: 'transfers cursor beyond 64 bits',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ cursor: cursorOf('99999999999999999999') }),
  },
  {
    name: 'transfers cursor as a number',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfers({ cursor: 5 }),
  },
  {
    name: "transfers account 'bank:1'",
    code: 'INVALID_ACCOUNT',
    call: ({ ledger }) => ledger.transfers({ account: 'bank:1' }),
  },
  { name: 'transfers(null)', code: 'INVALID_INPUT', call: ({ ledger }) => ledger.transfers(null) },
];

const reverseRows: Row[] = [
  {
    name: 'reverse an unknown id',
    code: 'NOT_FOUND',
    call: ({ ledger }) => ledger.reverse('no-such-id', { reason: 'x' }),
  },
  {
    name: 'reverse a valid id that looks like SQL',
    code: 'NOT_FOUND',
    call: ({ ledger }) => ledger.reverse("x';DROP_TABLE_gm_transfers;--", { reason: 'x' }),
  },
  {
    name: "reverse with reason ''",
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.reverse('seed-1', { reason: '' }),
  },
  {
    name: 'reverse with a blank reason',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.reverse('seed-1', { reason: '   ' }),
  },
  { name: 'reverse without opts', code: 'INVALID_INPUT', call: ({ ledger }) => ledger.reverse('seed-1') },
  {
    name: 'reverse with a reason of 501 characters',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.reverse('seed-1', { reason: 'r'.repeat(501) }),
  },
  { name: "reverse('')", code: 'INVALID_INPUT', call: ({ ledger }) => ledger.reverse('', { reason: 'x' }) },
  {
    name: 'reverse(SQL with spaces)',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.reverse(OR_TRUE, { reason: 'x' }),
  },
  {
    name: "reverse with force 'yes'",
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.reverse('seed-1', { reason: 'x', force: 'yes' }),
  },
  {
    name: "reverse with id ''",
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.reverse('seed-1', { reason: 'x', id: '' }),
  },
  {
    name: 'reverse a reversal',
    code: 'INVALID_TRANSFER',
    call: ({ ledger }) => ledger.reverse('seed-reversal', { reason: 'again' }),
  },
  {
    name: 'reverse twice',
    code: 'ALREADY_REVERSED',
    call: ({ ledger }) => ledger.reverse('seed-reversed', { reason: 'again' }),
  },
  {
    name: 'a reversal that would overdraw a user',
    code: 'INSUFFICIENT_FUNDS',
    call: ({ ledger }) => ledger.reverse('seed-carol', { reason: 'clawback' }),
  },
  {
    name: 'a reversal under a used id',
    code: 'IDEMPOTENCY_CONFLICT',
    call: ({ ledger }) => ledger.reverse('seed-1', { reason: 'x', id: 'seed-2' }),
  },
];

const tenantRows: Row[] = [
  { name: "tenant('')", code: 'TENANT_INVALID', call: ({ economy }) => economy.tenant('') },
  {
    name: 'tenant of 65 characters',
    code: 'TENANT_INVALID',
    call: ({ economy }) => economy.tenant('t'.repeat(65)),
  },
  { name: "tenant('a b')", code: 'TENANT_INVALID', call: ({ economy }) => economy.tenant('a b') },
  { name: "tenant('é')", code: 'TENANT_INVALID', call: ({ economy }) => economy.tenant('é') },
  { name: "tenant('../x')", code: 'TENANT_INVALID', call: ({ economy }) => economy.tenant('../x') },
  { name: "tenant('a.b')", code: 'TENANT_INVALID', call: ({ economy }) => economy.tenant('a.b') },
  { name: 'tenant with SQL', code: 'TENANT_INVALID', call: ({ economy }) => economy.tenant(DROP) },
  {
    name: 'tenant(undefined)',
    code: 'TENANT_INVALID',
    call: ({ economy }) => economy.tenant(undefined as never),
  },
  { name: 'tenant(42)', code: 'TENANT_INVALID', call: ({ economy }) => economy.tenant(42 as never) },
];

/** Text a store cannot hold (PostgreSQL refuses NUL; a lone surrogate is half a character): refused alike on every store. */
const textRows: Row[] = [
  {
    name: 'metadata string holding a NUL',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { note: 'a\u0000b' } })),
  },
  {
    name: 'metadata key holding a NUL',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { 'a\u0000b': 1 } })),
  },
  {
    name: 'nested metadata string holding a NUL',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { list: [{ note: '\u0000' }] } })),
  },
  {
    name: 'metadata string holding a lone high surrogate',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { note: 'x\ud800y' } })),
  },
  {
    name: 'metadata string holding a lone low surrogate',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ metadata: { note: '\udc00' } })),
  },
  {
    name: 'a batch whose second transfer has a NUL in its metadata',
    code: 'INVALID_INPUT',
    call: ({ ledger }) =>
      ledger.transferAll([valid({ id: 'nul-1' }), valid({ id: 'nul-2', metadata: { note: '\u0000' } })]),
  },
  {
    name: 'transfer id holding a NUL',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.transfer(valid({ id: 'x\u0000y' })),
  },
  {
    name: 'reverse with a NUL in its reason',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.reverse('seed-1', { reason: 'oops\u0000' }),
  },
  {
    name: 'reverse with a lone surrogate in its reason',
    code: 'INVALID_INPUT',
    call: ({ ledger }) => ledger.reverse('seed-1', { reason: 'oops\ud83d' }),
  },
  {
    name: 'freeze with a NUL in its reason',
    code: 'INVALID_INPUT',
    call: ({ tenant }) => tenant.freeze('carol', { reason: 'spam\u0000and more' }),
  },
  {
    name: 'freeze with a lone surrogate in its reason',
    code: 'INVALID_INPUT',
    call: ({ tenant }) => tenant.freeze('carol', { reason: '\udc00' }),
  },
];

export const BAD_INPUT_ROWS: readonly Row[] = [
  ...transferRows,
  ...batchRows,
  ...readRows,
  ...reverseRows,
  ...tenantRows,
  ...textRows,
];

/** What must not change: every seeded balance, the whole history, and the invariants. */
interface Snapshot {
  balances: Record<string, bigint>;
  history: Transfer[];
  verify: { ok: boolean; problems: string[] };
  /** Rows of every table for the tenant: a refused call leaves no zero-balance row, state row or audit entry. */
  rows: Record<string, number>;
}

async function snapshot(economy: Economy, tenant: Tenant, accounts: readonly string[]): Promise<Snapshot> {
  const balances: Record<string, bigint> = {};
  for (const account of accounts) balances[account] = await tenant.ledger.balance(account);
  const history: Transfer[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.ledger.transfers({ limit: 100, ...(cursor !== undefined && { cursor }) });
    history.push(...page.items);
    cursor = page.next;
  } while (cursor !== undefined);
  return {
    balances,
    history,
    verify: await tenant.ledger.verify(),
    rows: await tableRows(economy, tenant.id),
  };
}

/** Runs a call that must throw (synchronously or by rejecting) and returns what it threw. */
async function thrownBy(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

async function expectRejected(call: () => unknown, code: ErrorCode): Promise<void> {
  const error = await thrownBy(call);
  expect(error).toBeInstanceOf(GuildmintError);
  expect((error as GuildmintError).code, (error as Error).message).toBe(code);
}

/** Registers the bad-input table for one store target (call inside a describe that used `useStore`). */
export function badInputSuite(target: StoreTarget): void {
  const salt = randomBytes(3).toString('hex');
  let economy: Economy;
  let tenant: Tenant;
  let seeded: Snapshot;

  // Time stands still unless a test moves it: some checks need transfers on one day, others on several.
  let now = Date.UTC(2026, 0, 1, 12);
  const nextDay = () => {
    now += 86_400_000;
  };

  beforeAll(async () => {
    economy = target.open({ clock: { now: () => new Date(now) } });
    await economy.migrate();
    tenant = economy.tenant(`bad-input-${salt}`);
    const { ledger } = tenant;
    await ledger.transfer({ id: 'seed-1', from: FAUCET, to: ALICE, amount: 1000n, code: 'faucet.seed' });
    await ledger.transfer({ id: 'seed-2', from: FAUCET, to: BOB, amount: 500n, code: 'faucet.seed' });
    await ledger.transferAll([
      { id: 'seed-3', from: ALICE, to: SINK, amount: 100n, code: 'sink.shop', metadata: { item: 'hat' } },
      { id: 'seed-4', from: BOB, to: HOUSE, amount: 50n, code: 'game.dice.bet' },
    ]);
    await ledger.transfer({
      id: 'seed-reversed',
      from: HOUSE,
      to: BOB,
      amount: 50n,
      code: 'game.dice.payout',
    });
    await ledger.reverse('seed-reversed', { id: 'seed-reversal', reason: 'test fixture' });
    // Carol spends what she was given, so reversing the gift would overdraw her.
    await ledger.transfer({ id: 'seed-carol', from: FAUCET, to: CAROL, amount: 100n, code: 'faucet.seed' });
    await ledger.transfer({ id: 'seed-5', from: CAROL, to: SINK, amount: 100n, code: 'sink.shop' });
    seeded = await snapshot(economy, tenant, ACCOUNTS);
  });
  afterAll(async () => {
    await economy?.close();
  });

  it('starts from the seeded state', () => {
    expect(seeded.verify).toEqual({ ok: true, problems: [] });
    expect(seeded.balances).toEqual({
      [ALICE]: 900n,
      [BOB]: 450n,
      [CAROL]: 0n,
      [FAUCET]: -1600n,
      [SINK]: 200n,
      [HOUSE]: 50n,
    });
    expect(seeded.history).toHaveLength(8);
    expect(BAD_INPUT_ROWS.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(BAD_INPUT_ROWS.map((row) => [row.name, row] as const))('%s', (_, row) => {
    it(`fails with ${row.code} and changes nothing`, async () => {
      const before = await snapshot(economy, tenant, ACCOUNTS);
      await expectRejected(
        () => row.call({ economy, tenant, ledger: tenant.ledger as unknown as LooseLedger }),
        row.code,
      );
      const after = await snapshot(economy, tenant, ACCOUNTS);
      expect(after).toEqual(before);
      expect(after).toEqual(seeded);
    });
  });

  it('a user credited beyond 2^63-1 gets AMOUNT_OVERFLOW and nothing changes', async () => {
    const rich = economy.tenant(`overflow-user-${salt}`);
    await rich.ledger.transfer({
      id: 'max',
      from: 'faucet:mint',
      to: 'user:rich',
      amount: MAX_AMOUNT,
      code: 'faucet.mint',
    });
    const accounts = ['user:rich', 'faucet:mint', 'faucet:other'];
    const before = await snapshot(economy, rich, accounts);
    expect(before.balances['user:rich']).toBe(MAX_AMOUNT);

    await expectRejected(
      () => rich.ledger.transfer({ from: 'faucet:other', to: 'user:rich', amount: 1n, code: 'faucet.mint' }),
      'AMOUNT_OVERFLOW',
    );
    await expectRejected(
      () =>
        rich.ledger.transferAll([
          { id: 'over', from: 'faucet:other', to: 'user:rich', amount: 1n, code: 'faucet.mint' },
        ]),
      'AMOUNT_OVERFLOW',
    );
    expect(await snapshot(economy, rich, accounts)).toEqual(before);
    expect(before.verify).toEqual({ ok: true, problems: [] });
  });

  it('a system account credited beyond 2^63-1 gets AMOUNT_OVERFLOW and nothing changes', async () => {
    const t = economy.tenant(`overflow-sink-${salt}`);
    const { ledger } = t;
    // One day each, so that only the balance, not a day's flow total, can overflow.
    nextDay();
    await ledger.transfer({ from: 'faucet:a', to: 'user:x', amount: MAX_AMOUNT, code: 'faucet.mint' });
    nextDay();
    await ledger.transfer({ from: 'faucet:b', to: 'user:y', amount: MAX_AMOUNT, code: 'faucet.mint' });
    nextDay();
    await ledger.transfer({ from: 'user:x', to: 'sink:vault', amount: MAX_AMOUNT, code: 'sink.vault' });
    nextDay();
    const accounts = ['user:x', 'user:y', 'faucet:a', 'faucet:b', 'sink:vault'];
    const before = await snapshot(economy, t, accounts);
    expect(before.balances['sink:vault']).toBe(MAX_AMOUNT);

    await expectRejected(
      () => ledger.transfer({ from: 'user:y', to: 'sink:vault', amount: 1n, code: 'sink.vault' }),
      'AMOUNT_OVERFLOW',
    );
    expect(await snapshot(economy, t, accounts)).toEqual(before);
  });

  it("verify() holds when an account's credits add up to more than 2^63-1 over time", async () => {
    const t = economy.tenant(`gross-${salt}`);
    const { ledger } = t;
    const hops: Array<[string, string]> = [
      ['faucet:a', 'user:x'],
      ['user:x', 'user:y'],
      ['user:y', 'user:x'],
      ['user:x', 'sink:a'],
      ['sink:a', 'user:x'],
      ['user:x', 'sink:a'],
    ];
    // A day apart, so that only the ledger's own sums see the large totals.
    for (const [from, to] of hops) {
      nextDay();
      await ledger.transfer({ from, to, amount: MAX_AMOUNT, code: 'move' });
    }
    const after = await snapshot(economy, t, ['user:x', 'user:y', 'faucet:a', 'sink:a']);
    expect(after.balances).toEqual({
      'user:x': 0n,
      'user:y': 0n,
      'faucet:a': -MAX_AMOUNT,
      'sink:a': MAX_AMOUNT,
    });
    expect(after.history).toHaveLength(hops.length);
    expect(after.verify).toEqual({ ok: true, problems: [] });
  });

  it('transfers that keep every balance within 64 bits are accepted, however much moves in one day', async () => {
    const t = economy.tenant(`volume-${salt}`);
    const { ledger } = t;
    nextDay();
    await ledger.transfer({ from: 'faucet:a', to: 'user:x', amount: MAX_AMOUNT, code: 'faucet.mint' });
    await ledger.transfer({ from: 'user:x', to: 'user:y', amount: MAX_AMOUNT, code: 'transfer.p2p' });
    // Each account is credited at most 2^63-1; only the day's member-to-member volume passes it.
    await ledger.transfer({ from: 'user:y', to: 'user:z', amount: MAX_AMOUNT, code: 'transfer.p2p' });
    const after = await snapshot(economy, t, ['user:x', 'user:y', 'user:z', 'faucet:a']);
    expect(after.balances).toEqual({
      'user:x': 0n,
      'user:y': 0n,
      'user:z': MAX_AMOUNT,
      'faucet:a': -MAX_AMOUNT,
    });
    expect(after.verify).toEqual({ ok: true, problems: [] });
  });

  it('SQL-looking text where it is valid is stored verbatim and harms nothing', async () => {
    const t = economy.tenant(`sql-text-${salt}`);
    const id = "x';DROP_TABLE_gm_transfers;--";
    const metadata = { note: "'; DROP TABLE gm_transfers;--", or: "' OR 1=1 --" };
    const sent = await t.ledger.transfer({
      id,
      from: FAUCET,
      to: ALICE,
      amount: 7n,
      code: 'faucet.seed',
      metadata,
    });
    expect(sent).toMatchObject({ id, metadata });
    const page = await t.ledger.transfers({ account: ALICE });
    expect(page.items.map((i) => [i.id, i.metadata])).toEqual([[id, metadata]]);
    expect(await t.ledger.balance(ALICE)).toBe(7n);
    expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
    // The seeded tenant's table is still there and untouched.
    expect(await snapshot(economy, tenant, ACCOUNTS)).toEqual(seeded);
  });
}
