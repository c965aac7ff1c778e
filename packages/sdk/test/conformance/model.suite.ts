import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Economy,
  GuildmintError,
  type Tenant,
  type Transfer,
  type TransferInput,
} from '../../src/index.js';
import { type StoreTarget, tableRows } from '../support/stores.js';

/**
 * Model-based property test of one tenant's ledger (plus a second tenant that shares account names and
 * transfer ids, to catch data bleeding between tenants). Random command sequences run against the SDK
 * and against a small in-memory model; after every command the outcome (result or exact error code)
 * and every balance of the tenant must match the model; after every sequence `verify()` and the
 * invariants of ARCHITECTURE.md must hold, and the analytics rollups must equal a rebuild from the ledger.
 *
 * Replay a failure: GUILDMINT_SEED=<seed> GUILDMINT_PATH=<path> (both printed on failure).
 */

export interface ModelSuiteOptions {
  /** Command sequences per run of the property (GUILDMINT_RUNS overrides). */
  runs: number;
  /** Longest command sequence. */
  maxCommands: number;
}

const DEFAULT_SEED = 20_260_101;

const USERS = ['user:alice', 'user:bob', 'user:carol'] as const;
const FAUCET = 'faucet:daily';
const SINK = 'sink:shop';
const HOUSE = 'house:coinflip';
const SYSTEM = 'system:escrow';
const ACCOUNTS: readonly string[] = [...USERS, FAUCET, SINK, HOUSE, SYSTEM];
// 'reversal' is reserved for `reverse()` (a caller using it gets INVALID_INPUT: see the bad-input table).
const CODES = ['transfer.p2p', 'faucet.daily', 'sink.shop', 'game.coinflip.bet'] as const;

// ---------------------------------------------------------------------------------------------------
// Commands

// A type alias, not an interface, so it fits TransferInput's Record<string, unknown>.
type Meta = { note: string; n: number };

interface Spec {
  from: string;
  to: string;
  amount: bigint;
  code: string;
  metadata?: Meta;
}

type TenantIndex = 0 | 1;

type Command =
  | { kind: 'transfer'; tenant: TenantIndex; spec: Spec; withId: boolean }
  | { kind: 'batch'; tenant: TenantIndex; specs: Spec[] }
  /** A user sends exactly their whole balance (1 when they have nothing): the edge of INSUFFICIENT_FUNDS. */
  | { kind: 'drain'; tenant: TenantIndex; user: string }
  /** Send a past successful write again, same ids, same content (metadata keys reordered). */
  | { kind: 'retry'; tenant: TenantIndex; pick: number }
  /** Send a past successful write again with the same ids but different content. */
  | {
      kind: 'conflict';
      tenant: TenantIndex;
      pick: number;
      at: number;
      change: 'amount' | 'to' | 'code' | 'metadata' | 'extra';
    }
  | {
      kind: 'reverse';
      tenant: TenantIndex;
      /**
       * `reversed`: a transfer that has been reversed already; `spent`: one whose receiving user no longer
       * holds the amount, so undoing it would overdraw them.
       */
      target: 'transfer' | 'batch' | 'reversed' | 'spent' | 'unknown';
      pick: number;
      force: boolean;
      id: 'none' | 'fresh' | 'used';
    }
  /** Reverse again with the id of a past reversal: same reason → the same mirrors; another → conflict. */
  | { kind: 'retryReverse'; tenant: TenantIndex; pick: number; changeReason: boolean }
  | { kind: 'freeze'; tenant: TenantIndex; user: string; frozen: boolean };

const tenantArb: fc.Arbitrary<TenantIndex> = fc.nat(3).map((n) => (n === 3 ? 1 : 0));
const userArb = fc.constantFrom(...USERS);
const amountArb = fc.bigInt({ min: 1n, max: 300n });
// fc.record builds null-prototype objects; callers pass ordinary object literals.
const metaArb = fc.option(
  fc.record({ note: fc.constantFrom('gm', 'tip', 'x'), n: fc.nat(9) }).map((meta): Meta => ({ ...meta })),
  { nil: undefined },
);

function distinctPair(accounts: readonly string[]): fc.Arbitrary<[string, string]> {
  return fc
    .tuple(fc.nat(accounts.length - 1), fc.nat(accounts.length - 2))
    .map(([i, k]) => [accounts[i]!, accounts[(i + 1 + k) % accounts.length]!]);
}

const pairArb: fc.Arbitrary<[string, string]> = fc.oneof(
  { weight: 4, arbitrary: userArb.map((u): [string, string] => [FAUCET, u]) },
  { weight: 4, arbitrary: distinctPair(USERS) },
  { weight: 2, arbitrary: userArb.map((u): [string, string] => [u, SINK]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(userArb, fc.boolean())
      .map(([u, toHouse]): [string, string] => (toHouse ? [u, HOUSE] : [HOUSE, u])),
  },
  { weight: 1, arbitrary: distinctPair(ACCOUNTS) },
);

const specArb: fc.Arbitrary<Spec> = fc
  .record({ pair: pairArb, amount: amountArb, code: fc.constantFrom(...CODES), metadata: metaArb })
  .map(({ pair, amount, code, metadata }) => ({
    from: pair[0],
    to: pair[1],
    amount,
    code,
    ...(metadata && { metadata }),
  }));

/** Money in, then more out than came in: fails on the second transfer unless the user already had enough. */
const chainArb: fc.Arbitrary<Spec[]> = fc
  .record({ users: distinctPair(USERS), a: amountArb, b: fc.bigInt({ min: 1n, max: 600n }) })
  .map(({ users: [x, y], a, b }) => [
    { from: FAUCET, to: x, amount: a, code: 'faucet.daily' },
    { from: x, to: y, amount: b, code: 'transfer.p2p' },
  ]);

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      tenant: tenantArb,
      spec: specArb,
      withId: fc.nat(4).map((n) => n > 0),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      tenant: tenantArb,
      specs: fc.oneof(fc.array(specArb, { minLength: 1, maxLength: 4 }), chainArb),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('drain' as const), tenant: tenantArb, user: userArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('retry' as const), tenant: tenantArb, pick: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('conflict' as const),
      tenant: tenantArb,
      pick: fc.nat(),
      at: fc.nat(),
      change: fc.constantFrom(
        'amount' as const,
        'to' as const,
        'code' as const,
        'metadata' as const,
        'extra' as const,
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('reverse' as const),
      tenant: tenantArb,
      target: fc.constantFrom(
        ...([
          'transfer',
          'transfer',
          'transfer',
          'batch',
          'batch',
          'reversed',
          'spent',
          'spent',
          'spent',
          'unknown',
        ] as const),
      ),
      pick: fc.nat(),
      force: fc.boolean(),
      id: fc.constantFrom(...(['none', 'fresh', 'fresh', 'fresh', 'used'] as const)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('retryReverse' as const),
      tenant: tenantArb,
      pick: fc.nat(),
      changeReason: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('freeze' as const),
      tenant: tenantArb,
      user: userArb,
      frozen: fc.nat(2).map((n) => n > 0),
    }),
  },
);

// ---------------------------------------------------------------------------------------------------
// The model

/** A transfer as the model expects it; `metadata` is canonical JSON, as replays compare it. */
interface Candidate {
  id: string | undefined;
  from: string;
  to: string;
  amount: bigint;
  code: string;
  metadata: string | null;
  reverses: string | null;
  forced: boolean;
}

interface Recorded extends Candidate {
  id: string;
  /** null for a single transfer; otherwise names the ids committed together (as the batch id does). */
  batchKey: string | null;
  batchId: string | undefined;
  createdAt: Date;
}

/** A successful `transfer`/`transferAll`, kept so it can be sent again. */
interface WriteRecord {
  batch: boolean;
  inputs: TransferInput[];
}

interface ReversalRecord {
  target: string;
  id: string;
  reason: string;
  force: boolean;
}

class TenantModel {
  readonly balances = new Map<string, bigint>(ACCOUNTS.map((a) => [a, 0n]));
  readonly transfers = new Map<string, Recorded>();
  /** Commit order. */
  readonly order: string[] = [];
  readonly batches = new Map<string, string[]>();
  readonly reversed = new Set<string>();
  readonly frozen = new Set<string>();
  readonly forcedDebtors = new Set<string>();
  readonly writes: WriteRecord[] = [];
  readonly reversals: ReversalRecord[] = [];
  nextId = 0;

  constructor(
    readonly tenant: Tenant,
    readonly label: string,
  ) {}

  freshId(prefix: string): string {
    this.nextId += 1;
    // Both tenants hand out the same ids: a transfer id must only be unique within its tenant.
    return `${prefix}-${this.nextId}`;
  }
}

type Prediction =
  | { kind: 'apply' }
  | { kind: 'replay'; transfers: Recorded[] }
  | { kind: 'error'; code: string; why: string };

function sameContent(a: Candidate, b: Candidate): boolean {
  return (
    a.from === b.from &&
    a.to === b.to &&
    a.amount === b.amount &&
    a.code === b.code &&
    a.metadata === b.metadata &&
    a.reverses === b.reverses &&
    a.forced === b.forced
  );
}

function batchKeyOf(ids: readonly string[]): string {
  return ids.join('\u0000');
}

/** What the ledger must do with these transfers, committed all or none, given the model's state. */
function predictWrite(m: TenantModel, cands: Candidate[], batchKey: string | null): Prediction {
  const stored = cands.map((c) => (c.id === undefined ? undefined : m.transfers.get(c.id)));
  const found = stored.filter((s): s is Recorded => s !== undefined);
  if (found.length > 0) {
    const identical =
      found.length === cands.length &&
      cands.every((c, i) => sameContent(c, stored[i]!) && stored[i]!.batchKey === batchKey);
    return identical
      ? { kind: 'replay', transfers: found }
      : { kind: 'error', code: 'IDEMPOTENCY_CONFLICT', why: 'an id was already used for other content' };
  }
  const balances = new Map(m.balances);
  for (const c of cands) {
    if (c.reverses !== null && m.reversed.has(c.reverses)) {
      return { kind: 'error', code: 'ALREADY_REVERSED', why: `${c.reverses} was reversed before` };
    }
    const isUser = c.from.startsWith('user:');
    if (isUser && m.frozen.has(c.from) && c.reverses === null) {
      return { kind: 'error', code: 'ACCOUNT_FROZEN', why: `${c.from} is frozen` };
    }
    const after = balances.get(c.from)! - c.amount;
    if (isUser && after < 0n && !c.forced) {
      return { kind: 'error', code: 'INSUFFICIENT_FUNDS', why: `${c.from} would hold ${after}` };
    }
    balances.set(c.from, after);
    balances.set(c.to, balances.get(c.to)! + c.amount);
  }
  return { kind: 'apply' };
}

function applyWrite(
  m: TenantModel,
  cands: Candidate[],
  batchKey: string | null,
  actual: Transfer[],
): Recorded[] {
  const key = batchKey ?? (cands.length > 1 ? batchKeyOf(actual.map((t) => t.id)) : null);
  const recorded = cands.map(
    (c, i): Recorded => ({
      ...c,
      id: actual[i]!.id,
      batchKey: key,
      batchId: actual[i]!.batchId,
      createdAt: actual[i]!.createdAt,
    }),
  );
  for (const r of recorded) {
    m.transfers.set(r.id, r);
    m.order.push(r.id);
    m.balances.set(r.from, m.balances.get(r.from)! - r.amount);
    m.balances.set(r.to, m.balances.get(r.to)! + r.amount);
    if (r.reverses !== null) m.reversed.add(r.reverses);
    if (r.forced) m.forcedDebtors.add(r.from);
  }
  const batchId = recorded[0]?.batchId;
  if (batchId !== undefined) {
    m.batches.set(
      batchId,
      recorded.map((r) => r.id),
    );
  }
  return recorded;
}

/** Sorted-key JSON of a flat object, as the ledger stores metadata. */
function canonical(value: Record<string, unknown> | undefined): string | null {
  if (value === undefined) return null;
  const sorted = Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(sorted);
}

function candidateOf(input: TransferInput): Candidate {
  return {
    id: input.id,
    from: input.from,
    to: input.to,
    amount: input.amount,
    code: input.code,
    metadata: canonical(input.metadata),
    reverses: null,
    forced: false,
  };
}

/** The public shape of a recorded transfer, as `transfer()`, `transfers()` and `reverse()` return it. */
function publicView(r: Recorded, tenant: string): Transfer {
  return {
    id: r.id,
    tenant,
    from: r.from,
    to: r.to,
    amount: r.amount,
    code: r.code,
    ...(r.metadata !== null && { metadata: JSON.parse(r.metadata) as Record<string, unknown> }),
    ...(r.batchId !== undefined && { batchId: r.batchId }),
    ...(r.reverses !== null && { reverses: r.reverses }),
    createdAt: r.createdAt,
  };
}

// ---------------------------------------------------------------------------------------------------
// Running a sequence

/** Every `now()` is one second after the last, so a replayed transfer's createdAt is visibly the original's. */
function steppingClock() {
  let t = Date.UTC(2026, 0, 1);
  return {
    now: () => {
      t += 1000;
      return new Date(t);
    },
    latest: () => t,
  };
}
type SteppingClock = ReturnType<typeof steppingClock>;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

function describeOutcome(outcome: Outcome<unknown>): string {
  if (outcome.ok) return 'success';
  const e = outcome.error;
  return e instanceof GuildmintError ? `${e.code} (${e.message})` : `a non-GuildmintError: ${String(e)}`;
}

class Runner {
  /** The injected clock's reading before the current command: new transfers are stamped after it. */
  private startedAt = 0;
  private kind = '';
  /** Whether the current command had a write accepted: otherwise every table must stay as it was. */
  private applied = false;
  /** Each tenant's rows per table after its last command. */
  private readonly lastRows = new Map<TenantModel, Record<string, number>>();

  constructor(
    private readonly models: [TenantModel, TenantModel],
    private readonly clock: SteppingClock,
    /** How often each command kind met each outcome, over every run: shows the generator reaches them. */
    private readonly seen: Map<string, number>,
    /** Rows per table the store holds for a tenant. */
    private readonly rows: (tenant: string) => Promise<Record<string, number>>,
  ) {}

  async run(commands: Command[]): Promise<void> {
    for (const [step, command] of commands.entries()) {
      const m = this.models[command.tenant];
      const where = `step ${step} (${command.kind} on ${m.label})`;
      this.startedAt = this.clock.latest();
      this.kind = command.kind;
      this.applied = false;
      const rowsBefore = this.lastRows.get(m) ?? (await this.rows(m.tenant.id));
      await this.execute(m, command, where);
      await expectBalances(m, where);
      const rowsAfter = await this.rows(m.tenant.id);
      if (!this.applied)
        expect(rowsAfter, `${where}: refused or replayed, so no table changed`).toEqual(rowsBefore);
      this.lastRows.set(m, rowsAfter);
    }
    for (const m of this.models) await checkFinalState(m);
  }

  private async execute(m: TenantModel, c: Command, where: string): Promise<void> {
    switch (c.kind) {
      case 'transfer': {
        const input: TransferInput = { ...c.spec, ...(c.withId && { id: m.freshId('tx') }) };
        await this.write(m, where, [input], false);
        return;
      }
      case 'batch': {
        const inputs = c.specs.map((s) => ({ ...s, id: m.freshId('bt') }));
        await this.write(m, where, inputs, true);
        return;
      }
      case 'drain': {
        const amount = m.balances.get(c.user)! > 0n ? m.balances.get(c.user)! : 1n;
        await this.write(
          m,
          where,
          [{ id: m.freshId('tx'), from: c.user, to: SINK, amount, code: 'sink.shop' }],
          false,
        );
        return;
      }
      case 'retry': {
        const past = m.writes[c.pick % Math.max(1, m.writes.length)];
        if (!past) return;
        // Same content: only the key order of the metadata differs, which must not matter.
        const inputs = past.inputs.map((i) => ({
          ...i,
          ...(i.metadata && { metadata: Object.fromEntries(Object.entries(i.metadata).reverse()) }),
        }));
        await this.write(m, where, inputs, past.batch, 'replay');
        return;
      }
      case 'conflict': {
        const past = m.writes[c.pick % Math.max(1, m.writes.length)];
        if (!past) return;
        const inputs = past.inputs.map((i) => ({ ...i }));
        const index = c.at % inputs.length;
        let target = inputs[index]!;
        if (c.change === 'amount') target.amount += 1n;
        if (c.change === 'to') target.to = ACCOUNTS.find((a) => a !== target.from && a !== target.to)!;
        if (c.change === 'code')
          target.code = target.code === 'transfer.p2p' ? 'transfer.tip' : 'transfer.p2p';
        if (c.change === 'metadata') {
          const { metadata, ...rest } = target;
          target = metadata ? rest : { ...rest, metadata: { note: 'changed', n: 0 } };
          inputs[index] = target;
        }
        if (c.change === 'extra') {
          inputs.push({ id: m.freshId('bt'), from: FAUCET, to: USERS[0], amount: 1n, code: 'faucet.daily' });
        }
        await this.write(m, where, inputs, past.batch || c.change === 'extra', 'IDEMPOTENCY_CONFLICT');
        return;
      }
      case 'reverse': {
        const target = pickReverseTarget(m, c);
        if (target === undefined) return;
        const id =
          c.id === 'fresh'
            ? m.freshId('rv')
            : c.id === 'used'
              ? m.order[(c.pick + 1) % m.order.length]
              : undefined;
        const reason = `why-${m.nextId}`;
        await this.reverse(m, where, target, { reason, force: c.force, ...(id !== undefined && { id }) });
        return;
      }
      case 'retryReverse': {
        const past = m.reversals[c.pick % Math.max(1, m.reversals.length)];
        if (!past) return;
        const reason = c.changeReason ? `${past.reason}-changed` : past.reason;
        await this.reverse(
          m,
          where,
          past.target,
          { id: past.id, reason, force: past.force },
          c.changeReason ? 'IDEMPOTENCY_CONFLICT' : 'replay',
        );
        return;
      }
      case 'freeze': {
        const userId = c.user.slice('user:'.length);
        this.applied = true; // a freeze writes its audit entry (and the member's row)
        if (c.frozen) await m.tenant.freeze(userId, { reason: 'model test' });
        else await m.tenant.unfreeze(userId);
        if (c.frozen) m.frozen.add(c.user);
        else m.frozen.delete(c.user);
        return;
      }
    }
  }

  /** `transfer` (one input, not a batch) or `transferAll`, checked against the model's prediction. */
  private async write(
    m: TenantModel,
    where: string,
    inputs: TransferInput[],
    batch: boolean,
    mustBe?: 'replay' | 'IDEMPOTENCY_CONFLICT',
  ): Promise<void> {
    const cands = inputs.map(candidateOf);
    const batchKey = batch ? batchKeyOf(inputs.map((i) => i.id!)) : null;
    const prediction = predictWrite(m, cands, batchKey);
    // The command's intent and the model must agree, or the generator is broken, not the SDK.
    if (mustBe)
      expect(mustBe === 'replay' ? prediction.kind : predictionCode(prediction), where).toBe(mustBe);
    const ledger = m.tenant.ledger;
    const outcome = await attempt(() =>
      batch ? ledger.transferAll(inputs) : ledger.transfer(inputs[0]!).then((t) => [t]),
    );
    const recorded = this.check(m, where, prediction, cands, batchKey, outcome, batch);
    if (recorded && prediction.kind === 'apply') {
      m.writes.push({ batch, inputs: inputs.map((input, i) => ({ ...input, id: recorded[i]!.id })) });
    }
  }

  private async reverse(
    m: TenantModel,
    where: string,
    target: string,
    opts: { id?: string; reason: string; force: boolean },
    mustBe?: 'replay' | 'IDEMPOTENCY_CONFLICT',
  ): Promise<void> {
    const { prediction, cands, batchKey } = predictReverse(m, target, opts);
    if (mustBe)
      expect(mustBe === 'replay' ? prediction.kind : predictionCode(prediction), where).toBe(mustBe);
    const outcome = await attempt(() => m.tenant.ledger.reverse(target, opts));
    const recorded = this.check(m, where, prediction, cands, batchKey, outcome, cands.length > 1);
    if (recorded && prediction.kind === 'apply' && opts.id !== undefined) {
      m.reversals.push({ target, id: opts.id, reason: opts.reason, force: opts.force });
    }
  }

  /** Compares an outcome with the prediction; on an accepted write, updates the model. */
  private check(
    m: TenantModel,
    where: string,
    prediction: Prediction,
    cands: Candidate[],
    batchKey: string | null,
    outcome: Outcome<Transfer[]>,
    /** transferAll, or a reversal of several transfers: committed with a batch id. */
    batch: boolean,
  ): Recorded[] | undefined {
    const label = `${this.kind} → ${predictionCode(prediction)}`;
    this.seen.set(label, (this.seen.get(label) ?? 0) + 1);
    const expected = prediction.kind === 'error' ? `${prediction.code} (${prediction.why})` : 'success';
    const got = describeOutcome(outcome);
    if (prediction.kind === 'error') {
      expect(got, `${where}: expected ${expected}`).toMatch(new RegExp(`^${prediction.code} `));
      expect(outcome.ok ? undefined : outcome.error, where).toBeInstanceOf(GuildmintError);
      return undefined;
    }
    expect(got, `${where}: expected ${expected}`).toBe('success');
    if (prediction.kind === 'apply') this.applied = true;
    const actual = (outcome as { ok: true; value: Transfer[] }).value;
    if (prediction.kind === 'replay') {
      // The original transfers, createdAt included; no second effect (balances are checked next).
      expect(actual, `${where}: a replay returns the original transfers`).toEqual(
        prediction.transfers.map((r) => publicView(r, m.tenant.id)),
      );
      return prediction.transfers;
    }
    expect(actual, where).toHaveLength(cands.length);
    const committedAfter = this.clock.latest();
    for (const [i, t] of actual.entries()) {
      const c = cands[i]!;
      if (c.id === undefined) {
        expect(
          typeof t.id === 'string' && t.id.length > 0 && !m.transfers.has(t.id),
          `${where}: generated id`,
        ).toBe(true);
      }
      expect(t.createdAt.getTime(), `${where}: createdAt comes from the injected clock`).toBeGreaterThan(
        this.startedAt,
      );
      expect(t.createdAt.getTime(), where).toBeLessThanOrEqual(committedAfter);
      if (!batch) expect(t.batchId, `${where}: a single transfer has no batch`).toBeUndefined();
      else expect(t.batchId, `${where}: one batch id for the batch`).toBe(actual[0]!.batchId);
    }
    if (batch) expect(typeof actual[0]!.batchId, where).toBe('string');
    const recorded = applyWrite(m, cands, batchKey, actual);
    expect(actual, `${where}: committed transfers`).toEqual(recorded.map((r) => publicView(r, m.tenant.id)));
    if (recorded.some((r) => r.forced && r.from.startsWith('user:') && m.balances.get(r.from)! < 0n)) {
      this.seen.set(FORCED_DEBT, (this.seen.get(FORCED_DEBT) ?? 0) + 1);
    }
    return recorded;
  }
}

function predictionCode(p: Prediction): string {
  return p.kind === 'error' ? p.code : p.kind;
}

/** undefined when there is nothing of the kind asked for yet. */
function pickReverseTarget(m: TenantModel, c: Extract<Command, { kind: 'reverse' }>): string | undefined {
  const batchIds = [...m.batches.keys()];
  const reversed = [...m.reversed];
  if (c.target === 'batch' && batchIds.length > 0) return batchIds[c.pick % batchIds.length]!;
  if (c.target === 'reversed' && reversed.length > 0) return reversed[c.pick % reversed.length]!;
  const spent = m.order.filter((id) => {
    const t = m.transfers.get(id)!;
    return (
      t.to.startsWith('user:') &&
      t.reverses === null &&
      !m.reversed.has(id) &&
      m.balances.get(t.to)! < t.amount
    );
  });
  if (c.target === 'spent' && spent.length > 0) return spent[c.pick % spent.length]!;
  if (c.target !== 'unknown' && m.order.length > 0) return m.order[c.pick % m.order.length]!;
  if (c.target !== 'unknown') return undefined;
  return `unknown-${c.pick}`;
}

function predictReverse(
  m: TenantModel,
  target: string,
  opts: { id?: string; reason: string; force: boolean },
): { prediction: Prediction; cands: Candidate[]; batchKey: string | null } {
  const single = m.transfers.get(target);
  const originals = single ? [single] : (m.batches.get(target) ?? []).map((id) => m.transfers.get(id)!);
  if (originals.length === 0) {
    return {
      prediction: { kind: 'error', code: 'NOT_FOUND', why: `no transfer ${target}` },
      cands: [],
      batchKey: null,
    };
  }
  if (originals.some((o) => o.reverses !== null)) {
    return {
      prediction: { kind: 'error', code: 'INVALID_TRANSFER', why: 'a reversal cannot be reversed' },
      cands: [],
      batchKey: null,
    };
  }
  const metadata = canonical({ reason: opts.reason, ...(opts.force && { forced: true }) });
  const ids = originals.map((_, i) =>
    opts.id === undefined ? undefined : originals.length === 1 ? opts.id : `${opts.id}#${i}`,
  );
  const cands = originals.map(
    (o, i): Candidate => ({
      id: ids[i],
      from: o.to,
      to: o.from,
      amount: o.amount,
      code: 'reversal',
      metadata,
      reverses: o.id,
      forced: opts.force,
    }),
  );
  const batchKey = originals.length > 1 && opts.id !== undefined ? batchKeyOf(ids as string[]) : null;
  return { prediction: predictWrite(m, cands, batchKey), cands, batchKey };
}

async function expectBalances(m: TenantModel, where: string): Promise<void> {
  const actual = await Promise.all(ACCOUNTS.map(async (a) => [a, await m.tenant.ledger.balance(a)] as const));
  expect(new Map(actual), `${where}: balances of ${m.label}`).toEqual(m.balances);
}

/** After a sequence: verify(), the invariants, and the stored transfer history against the model. */
async function checkFinalState(m: TenantModel): Promise<void> {
  const where = `end of sequence, ${m.label}`;
  await expectBalances(m, where);
  expect(await m.tenant.ledger.verify(), where).toEqual({ ok: true, problems: [] });
  // The analytics rollups the write path kept equal those re-derived from the ledger's history.
  const rollups = await m.tenant.analytics.rebuild();
  expect(rollups.differences, `${where}: analytics rollups`).toEqual([]);
  expect(rollups.ok, where).toBe(true);

  let sum = 0n;
  for (const account of ACCOUNTS) {
    const balance = await m.tenant.ledger.balance(account);
    sum += balance;
    if (account.startsWith('user:') && balance < 0n) {
      expect(m.forcedDebtors.has(account), `${where}: ${account} is in debt only by a forced reversal`).toBe(
        true,
      );
    }
  }
  expect(sum, `${where}: balances sum to zero`).toBe(0n);

  // Every committed transfer, newest first, paged; and one account's history.
  const listed = await listAll(m.tenant, {});
  const expected = [...m.order].reverse().map((id) => publicView(m.transfers.get(id)!, m.tenant.id));
  expect(listed, `${where}: transfers()`).toEqual(expected);
  const alice = await listAll(m.tenant, { account: USERS[0] });
  expect(alice, `${where}: transfers({ account })`).toEqual(
    expected.filter((t) => t.from === USERS[0] || t.to === USERS[0]),
  );
}

async function listAll(tenant: Tenant, q: { account?: string }): Promise<Transfer[]> {
  const all: Transfer[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.ledger.transfers({ ...q, limit: 7, ...(cursor !== undefined && { cursor }) });
    expect(page.items.length).toBeLessThanOrEqual(7);
    all.push(...page.items);
    cursor = page.next;
  } while (cursor !== undefined);
  return all;
}

// ---------------------------------------------------------------------------------------------------
// The suite

const FORCED_DEBT = 'reverse → apply, forced into debt';
const REQUIRED_OUTCOMES = [
  'transfer → apply',
  'transfer → INSUFFICIENT_FUNDS',
  'transfer → ACCOUNT_FROZEN',
  'batch → apply',
  'batch → INSUFFICIENT_FUNDS',
  'retry → replay',
  'conflict → IDEMPOTENCY_CONFLICT',
  'reverse → apply',
  'reverse → ALREADY_REVERSED',
  'reverse → INSUFFICIENT_FUNDS',
  FORCED_DEBT,
  'reverse → INVALID_TRANSFER',
  'reverse → NOT_FOUND',
  'retryReverse → replay',
  'retryReverse → IDEMPOTENCY_CONFLICT',
];

function seedFromEnv(): number {
  const raw = process.env.GUILDMINT_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`GUILDMINT_SEED must be an integer, got ${raw}`);
  return seed;
}

/** Registers the model-based ledger test for one store target (call inside a describe that used `useStore`). */
export function ledgerModelSuite(target: StoreTarget, options: ModelSuiteOptions): void {
  const clock = steppingClock();
  let economy: Economy | undefined;
  beforeAll(async () => {
    economy = target.open({ clock });
    await economy.migrate();
  });
  afterAll(async () => {
    await economy?.close();
  });

  it('random command sequences on two tenants match the model, and verify() holds', async () => {
    const seed = seedFromEnv();
    const path = process.env.GUILDMINT_PATH || undefined;
    const runs = Number(process.env.GUILDMINT_RUNS) || options.runs;
    console.log(
      `[ledger model, ${target.name}] seed ${seed}${path ? ` path ${path}` : ''}, ${runs} runs of up to ${options.maxCommands} commands`,
    );
    // Each run gets fresh tenants: tenants isolate data, so one database serves every run.
    const salt = randomBytes(3).toString('hex');
    let run = 0;
    const seen = new Map<string, number>();
    const property = fc.asyncProperty(
      fc.array(commandArb, { minLength: 1, maxLength: options.maxCommands, size: 'max' }),
      async (commands) => {
        run += 1;
        const db = economy!;
        const models: [TenantModel, TenantModel] = [
          new TenantModel(db.tenant(`model-${salt}-${run}-a`), 'tenant A'),
          new TenantModel(db.tenant(`model-${salt}-${run}-b`), 'tenant B'),
        ];
        await new Runner(models, clock, seen, (tenant) => tableRows(db, tenant)).run(commands);
      },
    );
    const details = await fc.check(property, {
      seed,
      numRuns: runs,
      ...(path !== undefined && { path, endOnFailure: true }),
    });
    if (details.failed) {
      const replay = `GUILDMINT_SEED=${details.seed} GUILDMINT_PATH=${details.counterexamplePath}`;
      throw new Error(`${fc.defaultReportMessage(details)}\n\nReplay this failure with ${replay}`, {
        cause: details.errorInstance,
      });
    }
    expect(details.numRuns).toBe(runs);
    const summary = [...seen].sort(([a], [b]) => (a < b ? -1 : 1));
    console.log(
      `[ledger model, ${target.name}] outcomes: ${summary.map(([k, n]) => `${k} ×${n}`).join(', ')}`,
    );
    if (path === undefined) {
      // A generator that never reaches an outcome tests nothing about it.
      for (const outcome of REQUIRED_OUTCOMES)
        expect(seen.get(outcome) ?? 0, `outcome ${outcome} reached`).toBeGreaterThan(0);
    }
  });
}
