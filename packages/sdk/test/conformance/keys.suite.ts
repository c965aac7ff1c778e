import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEconomy,
  defineEconomy,
  type Economy,
  type EconomyConfigInput,
  ErrorCode,
  isGuildmintError,
  type Store,
  seededRandom,
  type Tenant,
} from '../../src/index.js';
import { LibsqlStore } from '../../src/stores/libsql/store.js';
import { PostgresStore } from '../../src/stores/postgres/store.js';
import type { LedgerOp } from '../../src/stores/types.js';
import { ManualClock } from '../support/clock.js';
import { expectCode } from '../support/expect.js';
import type { StoreTarget } from '../support/stores.js';

export const keysConfig: EconomyConfigInput = {
  faucets: {
    daily: { reward: { fixed: 100 }, cooldownSeconds: 20 * 3600 },
    work: { reward: { fixed: 20 }, cooldownSeconds: 60 },
  },
  sinks: { transferTaxBps: 250, transferFee: 1, minTransfer: 5 },
  shop: {
    items: {
      cookie: { name: 'Cookie', price: 10, consumable: true },
      badge: { name: 'Badge', price: 40 },
    },
  },
  games: { coinflip: {}, dice: {}, blackjack: { timeoutSeconds: 600 } },
  policy: { rateLimit: { perMemberPerMinute: 600 } },
};

let counter = 0;

/**
 * Everything a keyed operation could have changed, for "nothing changed" checks: balances, the
 * transfer history, the audit log, inventories and frozen flags of the members the tests use.
 */
export async function snapshot(t: Tenant, users: readonly string[]) {
  return {
    balances: await Promise.all(users.map((u) => t.balance(u))),
    transfers: (await t.ledger.transfers({ limit: 1000 })).items.map((x) => x.id),
    audit: (await t.auditLog({ limit: 500 })).map((a) => a.id),
    inventories: await Promise.all(users.map((u) => t.inventory(u))),
    frozen: await Promise.all(users.map((u) => t.isFrozen(u))),
  };
}

/** A key is bound to the request it was made for (SDK-CONTRACT.md, "Keys of economy operations"). */
export function describeKeyConformance(target: StoreTarget): void {
  describe(`idempotency keys (${target.name})`, () => {
    let economy: Economy;
    let t: Tenant;
    const users = ['a', 'b', 'c'] as const;

    beforeEach(async () => {
      economy = target.open({ clock: new ManualClock('2026-03-02T10:00:00Z'), random: seededRandom(7) });
      t = economy.tenant(`keys_${process.pid}_${++counter}`);
      await t.configure(defineEconomy(keysConfig));
      for (const user of users) await t.grant(user, 1_000n, { reason: 'setup' });
      await t.buy('a', 'cookie', { quantity: 3 });
      await t.buy('b', 'cookie', { quantity: 3 });
    });
    afterEach(async () => {
      expect(await t.ledger.verify()).toEqual({ ok: true, problems: [] });
      await economy.close();
    });

    /** The first call, its exact replay, and requests that differ in one argument (or the operation). */
    const cases: Array<{
      name: string;
      first: (key: string) => Promise<unknown>;
      others: Array<(key: string) => Promise<unknown>>;
    }> = [
      {
        name: 'pay',
        first: (key) => t.pay({ from: 'a', to: 'b', amount: 50n, key }),
        others: [
          (key) => t.pay({ from: 'a', to: 'b', amount: 51n, key }),
          (key) => t.pay({ from: 'a', to: 'c', amount: 50n, key }),
          (key) => t.pay({ from: 'c', to: 'b', amount: 50n, key }),
          (key) => t.pay({ from: 'a', to: 'b', amount: 50n, key, memo: 'other' }),
          (key) => t.grant('a', 50n, { reason: 'same key, other operation', key }),
        ],
      },
      {
        name: 'claim',
        first: (key) => t.claim('work', 'a', { key }),
        others: [
          (key) => t.claim('daily', 'a', { key }),
          (key) => t.claim('work', 'b', { key }),
          (key) => t.claim('work', 'a', { key, member: { roles: ['1'] } }),
        ],
      },
      {
        name: 'buy',
        first: (key) => t.buy('a', 'cookie', { key }),
        others: [
          (key) => t.buy('a', 'cookie', { key, quantity: 2 }),
          (key) => t.buy('a', 'badge', { key }),
          (key) => t.buy('b', 'cookie', { key }),
        ],
      },
      {
        name: 'use',
        first: (key) => t.use('a', 'cookie', { key }),
        others: [(key) => t.use('b', 'cookie', { key }), (key) => t.buy('a', 'cookie', { key })],
      },
      {
        name: 'play',
        first: (key) => t.play('coinflip', 'a', { bet: 10n, side: 'heads', key }),
        others: [
          (key) => t.play('coinflip', 'a', { bet: 11n, side: 'heads', key }),
          (key) => t.play('coinflip', 'a', { bet: 10n, side: 'tails', key }),
          (key) => t.play('coinflip', 'b', { bet: 10n, side: 'heads', key }),
          (key) => t.play('dice', 'a', { bet: 10n, target: 50, direction: 'over', key }),
        ],
      },
      {
        name: 'grant',
        first: (key) => t.grant('a', 100n, { reason: 'prize', key }),
        others: [
          (key) => t.grant('a', 101n, { reason: 'prize', key }),
          (key) => t.grant('b', 100n, { reason: 'prize', key }),
          (key) => t.grant('a', 100n, { reason: 'another prize', key }),
          (key) => t.revoke('a', 100n, { reason: 'prize', key }),
        ],
      },
      {
        name: 'revoke',
        first: (key) => t.revoke('a', 100n, { reason: 'fine', key }),
        others: [
          (key) => t.revoke('a', 99n, { reason: 'fine', key }),
          (key) => t.revoke('b', 100n, { reason: 'fine', key }),
        ],
      },
      {
        name: 'freeze',
        first: (key) => t.freeze('a', { reason: 'alt farm', key }),
        others: [
          (key) => t.freeze('b', { reason: 'alt farm', key }),
          (key) => t.freeze('a', { reason: 'other reason', key }),
          (key) => t.unfreeze('a', { reason: 'alt farm', key }),
        ],
      },
      {
        name: 'unfreeze',
        first: (key) => t.unfreeze('c', { reason: 'cleared', key }),
        others: [(key) => t.unfreeze('b', { reason: 'cleared', key })],
      },
      {
        name: 'rollback',
        first: (key) => t.rollback('c', { since: new Date('2026-03-01T00:00:00Z'), reason: 'exploit', key }),
        others: [
          (key) => t.rollback('c', { since: new Date('2026-03-02T00:00:00Z'), reason: 'exploit', key }),
          (key) => t.rollback('b', { since: new Date('2026-03-01T00:00:00Z'), reason: 'exploit', key }),
          (key) => t.rollback('c', { since: new Date('2026-03-01T00:00:00Z'), reason: 'other', key }),
        ],
      },
    ];

    for (const c of cases) {
      it(`${c.name}: the same request replays, any other request with its key is refused and changes nothing`, async () => {
        const key = `key-${c.name}`;
        const result = await c.first(key);
        const after = await snapshot(t, users);
        const again = await c.first(key).catch((e: unknown) => e);
        if (typeof result === 'object' && result !== null && 'replayed' in result) {
          expect(again).toEqual({ ...result, replayed: true });
        } else {
          expect(again).toEqual(result);
        }
        expect(await snapshot(t, users)).toEqual(after);
        for (const [i, other] of c.others.entries()) {
          const error = await expectCode(other(key), ErrorCode.IDEMPOTENCY_CONFLICT);
          expect(error.message, `variant ${i}`).toContain(key);
          expect(await snapshot(t, users), `variant ${i} changed something`).toEqual(after);
        }
      });
    }

    it('act: only the same action on the same round replays', async () => {
      let round = await t.play('blackjack', 'a', { bet: 10n });
      for (let i = 0; round.finished && i < 20; i++) round = await t.play('blackjack', 'a', { bet: 10n });
      expect(round.finished).toBe(false);
      const stood = await t.act(round.roundId, 'stand', { key: 'act-key', userId: 'a' });
      const after = await snapshot(t, users);
      expect(await t.act(round.roundId, 'stand', { key: 'act-key', userId: 'a' })).toEqual({
        ...stood,
        replayed: true,
      });
      await expectCode(
        t.act(round.roundId, 'hit', { key: 'act-key', userId: 'a' }),
        ErrorCode.IDEMPOTENCY_CONFLICT,
      );
      await expectCode(
        t.pay({ from: 'a', to: 'b', amount: 5n, key: 'act-key' }),
        ErrorCode.IDEMPOTENCY_CONFLICT,
      );
      expect(await snapshot(t, users)).toEqual(after);
    });

    it('a refused request does not spend its key', async () => {
      await expectCode(
        t.pay({ from: 'a', to: 'b', amount: 5_000n, key: 'too-much' }),
        ErrorCode.INSUFFICIENT_FUNDS,
      );
      const paid = await t.pay({ from: 'a', to: 'b', amount: 500n, key: 'too-much' });
      expect(paid).toMatchObject({ id: 'too-much', amount: 500n, replayed: false });
    });

    it('keeps the ids it derives from a key (tax, fee, payout, …) out of every caller’s reach', async () => {
      const paid = await t.pay({ from: 'a', to: 'b', amount: 100n, key: 'p' });
      const derived = paid.transfers.map((x) => x.id).filter((id) => id !== 'p');
      expect(derived).toEqual(['p#tax', 'p#fee']);
      // The old derived form is an ordinary key now: its own payment, not a clash with p's tax line.
      expect(await t.pay({ from: 'a', to: 'b', amount: 100n, key: 'p:tax' })).toMatchObject({
        id: 'p:tax',
        replayed: false,
      });
      const before = await snapshot(t, users);
      for (const id of ['p#tax', 'x#y', '#']) {
        await expectCode(t.pay({ from: 'a', to: 'b', amount: 10n, key: id }), ErrorCode.INVALID_INPUT);
        await expectCode(t.grant('a', 10n, { reason: 'r', key: id }), ErrorCode.INVALID_INPUT);
        await expectCode(
          t.ledger.transfer({ id, from: 'faucet:x', to: 'user:a', amount: 1n, code: 'faucet.x' }),
          ErrorCode.INVALID_INPUT,
        );
        await expectCode(t.ledger.reverse('p', { reason: 'r', id }), ErrorCode.INVALID_INPUT);
      }
      expect(await snapshot(t, users)).toEqual(before);
      // A derived id still names its transfer wherever one is looked up.
      expect(await t.ledger.reverse('p#fee', { reason: 'refund the fee' })).toHaveLength(1);
    });

    it('never applies an operation twice when the answer to its COMMIT is lost', async () => {
      const { store, loseNextAnswer } = storeThatLosesAnswers(target);
      const lossy = createEconomy({ storage: store, clock: new ManualClock('2026-03-02T10:00:00Z') });
      const lt = lossy.tenant(`${t.id}_lossy`);
      try {
        await lt.configure(defineEconomy(keysConfig));
        await lt.grant('a', 1_000n, { reason: 'setup' });
        await lt.buy('a', 'cookie', { quantity: 3 });
        loseNextAnswer();
        expect(await lt.use('a', 'cookie')).toMatchObject({ remaining: 2 });
        loseNextAnswer();
        await lt.pay({ from: 'a', to: 'b', amount: 100n });
        loseNextAnswer();
        await lt.grant('c', 7n, { reason: 'lost answer' });
        expect(await lt.inventory('a')).toEqual([{ item: 'cookie', quantity: 2 }]);
        expect(await lt.balance('a')).toBe(1_000n - 30n - 100n - 2n - 1n);
        expect(await lt.balance('b')).toBe(100n);
        expect(await lt.balance('c')).toBe(7n);
        expect((await lt.auditLog()).filter((e) => e.action === 'grant')).toHaveLength(2);
      } finally {
        await lossy.close();
      }
    });

    it('property: random operations with random key reuse behave like the model', async () => {
      const seed = Number(process.env.GUILDMINT_SEED ?? 20_261_205);
      const numRuns = Number(process.env.GUILDMINT_RUNS ?? (target.name === 'postgres' ? 8 : 20));
      console.log(`key property (${target.name}): seed ${seed}, ${numRuns} runs (GUILDMINT_SEED to replay)`);
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(keyedCommand, { minLength: 1, maxLength: 30 }), async (commands) => {
          const tenant = economy.tenant(`${t.id}_p${++run}`);
          await tenant.configure(defineEconomy(keysConfig));
          const model = new KeyModel();
          for (const user of users) {
            await tenant.grant(user, 1_000n, { reason: 'setup' });
            model.balances.set(user, 1_000n);
          }
          for (const command of commands) {
            const expected = model.apply(command);
            const actual = await runCommand(tenant, command);
            expect(
              actual,
              JSON.stringify(command, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)),
            ).toEqual(expected);
            for (const user of users) {
              expect(await tenant.balance(user)).toBe(model.balances.get(user));
              const held = (await tenant.inventory(user)).find((e) => e.item === 'cookie')?.quantity ?? 0;
              expect(held).toBe(model.cookies.get(user) ?? 0);
            }
          }
          expect(await tenant.ledger.verify()).toEqual({ ok: true, problems: [] });
        }),
        { seed, numRuns },
      );
    });
  });
}

/**
 * A real store whose next group commit succeeds but whose caller hears a dropped connection instead,
 * as when the network fails between COMMIT and its acknowledgement; the store's own retry follows.
 */
function storeThatLosesAnswers(target: StoreTarget): { store: Store; loseNextAnswer(): void } {
  const url = target.url();
  const store = target.name === 'postgres' ? new PostgresStore({ url }) : new LibsqlStore({ url });
  const lost =
    target.name === 'postgres'
      ? Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' })
      : Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  const inner = store as unknown as { commitGroup(ops: LedgerOp[], retry: boolean): Promise<unknown> };
  const commitGroup = inner.commitGroup.bind(store);
  let lose = false;
  inner.commitGroup = async (ops, retry) => {
    const outcomes = await commitGroup(ops, retry);
    if (lose) {
      lose = false;
      throw lost;
    }
    return outcomes;
  };
  return { store, loseNextAnswer: () => (lose = true) };
}

// --- the model of keyed operations ----------------------------------------------------------------

const member = fc.constantFrom('a', 'b', 'c');
const key = fc.constantFrom(undefined, 'k1', 'k2', 'k3');
type KeyedCommand =
  | { op: 'pay'; from: string; to: string; amount: bigint; key: string | undefined }
  | { op: 'grant' | 'revoke'; user: string; amount: bigint; key: string | undefined }
  | { op: 'buy'; user: string; quantity: number; key: string | undefined }
  | { op: 'use'; user: string; key: string | undefined };

const keyedCommand: fc.Arbitrary<KeyedCommand> = fc.oneof(
  fc
    .record({ from: member, to: member, amount: fc.constantFrom(1n, 5n, 50n, 400n, 2_000n), key })
    .filter((c) => c.from !== c.to)
    .map((c) => ({ op: 'pay' as const, ...c })),
  fc.record({
    op: fc.constantFrom('grant' as const, 'revoke' as const),
    user: member,
    amount: fc.constantFrom(1n, 300n, 5_000n),
    key,
  }),
  fc
    .record({ user: member, quantity: fc.constantFrom(1, 2), key })
    .map((c) => ({ op: 'buy' as const, ...c })),
  fc.record({ user: member, key }).map((c) => ({ op: 'use' as const, ...c })),
);

/** What a command returned, reduced to what the model can predict. */
type Outcome = { ok: true; replayed: boolean } | { ok: false; code: string };

async function runCommand(t: Tenant, c: KeyedCommand): Promise<Outcome> {
  const keyed = c.key === undefined ? {} : { key: c.key };
  try {
    const result =
      c.op === 'pay'
        ? await t.pay({ from: c.from, to: c.to, amount: c.amount, ...keyed })
        : c.op === 'grant'
          ? await t.grant(c.user, c.amount, { reason: 'model', ...keyed })
          : c.op === 'revoke'
            ? await t.revoke(c.user, c.amount, { reason: 'model', ...keyed })
            : c.op === 'buy'
              ? await t.buy(c.user, 'cookie', { quantity: c.quantity, ...keyed })
              : await t.use(c.user, 'cookie', keyed);
    return { ok: true, replayed: result.replayed };
  } catch (error) {
    if (!isGuildmintError(error)) throw error;
    return { ok: false, code: error.code };
  }
}

/** Balances, cookies and spent keys, with the rules of keysConfig (tax 2.5 % floored, fee 1, minimum 5). */
class KeyModel {
  readonly balances = new Map<string, bigint>();
  readonly cookies = new Map<string, number>();
  private readonly spent = new Map<string, string>();

  apply(c: KeyedCommand): Outcome {
    const { key, ...request } = c;
    const fingerprint = JSON.stringify(request, (_, v) => (typeof v === 'bigint' ? `${v}` : v));
    if (key !== undefined && this.spent.has(key)) {
      return this.spent.get(key) === fingerprint
        ? { ok: true, replayed: true }
        : { ok: false, code: ErrorCode.IDEMPOTENCY_CONFLICT };
    }
    const refused = this.change(c);
    if (refused) return { ok: false, code: refused };
    if (key !== undefined) this.spent.set(key, fingerprint);
    return { ok: true, replayed: false };
  }

  /** Applies a new command; returns the refusal's code instead when it must be refused. */
  private change(c: KeyedCommand): string | undefined {
    const balance = (user: string) => this.balances.get(user) ?? 0n;
    const move = (user: string, delta: bigint) => this.balances.set(user, balance(user) + delta);
    switch (c.op) {
      case 'pay': {
        if (c.amount < 5n) return ErrorCode.INVALID_AMOUNT;
        const cost = c.amount + (c.amount * 250n) / 10_000n + 1n;
        if (balance(c.from) < cost) return ErrorCode.INSUFFICIENT_FUNDS;
        move(c.from, -cost);
        move(c.to, c.amount);
        return undefined;
      }
      case 'grant':
        move(c.user, c.amount);
        return undefined;
      case 'revoke':
        if (balance(c.user) < c.amount) return ErrorCode.INSUFFICIENT_FUNDS;
        move(c.user, -c.amount);
        return undefined;
      case 'buy': {
        const cost = 10n * BigInt(c.quantity);
        if (balance(c.user) < cost) return ErrorCode.INSUFFICIENT_FUNDS;
        move(c.user, -cost);
        this.cookies.set(c.user, (this.cookies.get(c.user) ?? 0) + c.quantity);
        return undefined;
      }
      case 'use': {
        const held = this.cookies.get(c.user) ?? 0;
        if (held === 0) return ErrorCode.NOT_FOUND;
        this.cookies.set(c.user, held - 1);
        return undefined;
      }
    }
  }
}
