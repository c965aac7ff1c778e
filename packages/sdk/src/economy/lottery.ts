import type { EconomyConfig } from '../config/schema.js';
import { memberAccount } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput, isGuildmintError } from '../errors.js';
import { hashServerSeed } from '../games/fairness.js';
import { toPublic } from '../ledger/ledger.js';
import { derivedId } from '../ledger/normalize.js';
import type { Transfer } from '../ledger/types.js';
import { type LotteryDrawProof, lotteryClientSeed, pickWinner, sortTickets } from '../lottery/draw.js';
import { readScope, type StateEffect, type StateRef, type StateRow, stateRef } from '../stores/types.js';
import { dayNumber, dayStart } from '../streaks/index.js';
import { bindKey, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer } from './receipt.js';

/** Where the house cut goes: destroyed. */
const LOTTERY_SINK = 'sink:lottery';
/** A round row's value once drawn: above any count of tickets, so a late purchase's add fails. */
const CLOSED = 2n ** 62n;
const MAX_COMMIT_ATTEMPTS = 8;

export interface LotteryStatus {
  round: number;
  drawAt: Date;
  /** SHA-256 of the round's server seed: committed before any ticket, revealed at the draw. */
  serverSeedHash: string;
  ticketPrice: bigint;
  ticketsSold: number;
  pot: bigint;
  /** The asking member's tickets (0 when no member was named). */
  mine: number;
  maxTicketsPerMember: number;
}

export interface TicketReceipt {
  id: string;
  round: number;
  quantity: number;
  /** Tickets the member holds in this round after the purchase. */
  held: number;
  amount: bigint;
  drawAt: Date;
  transfers: Transfer[];
  replayed: boolean;
}

export interface LotteryDraw {
  round: number;
  drawAt: Date;
  winnerId: string | null;
  winningTicket: number | null;
  totalTickets: number;
  pot: bigint;
  prize: bigint;
  houseCut: bigint;
  proof: LotteryDrawProof | null;
  transfers: Transfer[];
  replayed: boolean;
}

/** `tenant.lottery`: tickets into a pot, one provably fair draw a day, paid exactly once. */
export interface Lottery {
  /** The open round: its draw time, committed seed hash, pot and tickets (commits the seed if new). */
  status(userId?: string): Promise<LotteryStatus>;
  /** Buy tickets for the open round from the member's wallet. */
  buy(userId: string, o?: { quantity?: number; key?: string }): Promise<TicketReceipt>;
  /** Draw a round whose time has come (once, however many processes call it). */
  draw(round: number): Promise<LotteryDraw>;
  /** Draw every round whose time has come and that is not drawn yet (the runtime's scheduler). */
  drawDue(): Promise<LotteryDraw[]>;
  /** A drawn round, to show and verify (`verifyLotteryDraw`). */
  result(round: number): Promise<LotteryDraw>;
}

interface SeedRecord {
  serverSeed: string;
  serverSeedHash: string;
}

type DrawRecord = Omit<LotteryDraw, 'drawAt' | 'pot' | 'prize' | 'houseCut' | 'transfers' | 'replayed'> & {
  drawAt: string;
  pot: string;
  prize: string;
  houseCut: string;
  transferIds: string[];
};

export function createLottery(ctx: TenantContext): Lottery {
  return {
    status: (userId) => status(ctx, userId),
    buy: (userId, o) => buy(ctx, userId, o),
    draw: (round) => draw(ctx, round),
    drawDue: () => drawDue(ctx),
    result: (round) => result(ctx, round),
  };
}

/** The instant round `round` (a day number in the tenant's zone) is drawn. */
export function drawTime(config: EconomyConfig, round: number): Date {
  return new Date(dayStart(round, config.timeZone).getTime() + config.lottery.drawHour * 3_600_000);
}

/** The round tickets bought at `now` enter: today's until its draw hour, then tomorrow's. */
export function openRound(config: EconomyConfig, now: Date): number {
  const today = dayNumber(now, config.timeZone);
  return now < drawTime(config, today) ? today : today + 1;
}

const potOf = (round: number) => `system:lottery-${round}`;
const seedRef = (round: number): StateRef => ({ scope: STATE.lotterySeed, key: String(round) });
const roundRef = (round: number): StateRef => ({ scope: STATE.lotteryRound, key: String(round) });
const ticketsRef = (round: number, userId: string): StateRef => ({
  scope: STATE.lotteryTickets,
  key: `${round}:${userId}`,
});

function seedOf(row: StateRow | undefined): SeedRecord | undefined {
  return row?.json ? (JSON.parse(row.json) as SeedRecord) : undefined;
}

/** The effects that commit a new round's seed (and its ticket count at 0), once. */
function newSeedEffects(ctx: TenantContext, round: number): { seed: SeedRecord; effects: StateEffect[] } {
  const serverSeed = ctx.seeds.serverSeed();
  const seed = { serverSeed, serverSeedHash: hashServerSeed(serverSeed) };
  const raced = { code: ErrorCode.CONCURRENT_UPDATE, message: 'the round opened meanwhile' };
  return {
    seed,
    effects: [
      { kind: 'set', ...seedRef(round), value: 0n, json: JSON.stringify(seed), version: 0n, fail: raced },
      { kind: 'add', ...roundRef(round), delta: 0n, fail: raced },
    ],
  };
}

async function status(ctx: TenantContext, userId?: string): Promise<LotteryStatus> {
  if (userId !== undefined) memberAccount(userId);
  for (let attempt = 1; ; attempt++) {
    const { config } = await ctx.config();
    lotteryOn(config);
    const round = openRound(config, ctx.clock.now());
    const refs = [seedRef(round), roundRef(round), ...(userId ? [ticketsRef(round, userId)] : [])];
    const [rows, pot] = await Promise.all([
      ctx.store.readStates(ctx.tenant, refs),
      ctx.store.balance(ctx.tenant, potOf(round)),
    ]);
    const get = (ref: StateRef) => rows.get(stateRef(ref.scope, ref.key));
    let seed = seedOf(get(seedRef(round)));
    if (!seed) {
      const fresh = newSeedEffects(ctx, round);
      try {
        await ctx.submit({ transfers: [], batchId: null, effects: fresh.effects });
        seed = fresh.seed;
      } catch (error) {
        // Another process committed this round's seed first: read theirs.
        if (isGuildmintError(error, ErrorCode.CONCURRENT_UPDATE) && attempt < MAX_COMMIT_ATTEMPTS) continue;
        throw error;
      }
    }
    const sold = get(roundRef(round))?.value ?? 0n;
    return {
      round,
      drawAt: drawTime(config, round),
      serverSeedHash: seed.serverSeedHash,
      ticketPrice: BigInt(config.lottery.ticketPrice),
      ticketsSold: Number(sold >= CLOSED ? 0n : sold),
      pot,
      mine: Number(userId ? (get(ticketsRef(round, userId))?.value ?? 0n) : 0n),
      maxTicketsPerMember: config.lottery.maxTicketsPerMember,
    };
  }
}

interface StoredTicket {
  round: number;
  quantity: number;
  held: number;
  amount: string;
  drawAt: string;
}

async function buy(
  ctx: TenantContext,
  userId: string,
  o: { quantity?: number; key?: string } = {},
): Promise<TicketReceipt> {
  const account = memberAccount(userId);
  const quantity = o.quantity ?? 1;
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > 10_000)
    throw invalidInput('quantity', 'must be a whole number of tickets, 1-10000');
  const bound = bindKey('lottery.buy', o.key, { userId, quantity });
  return runKeyed(ctx, bound, {
    member: userId,
    reads: (config, now) => {
      const round = openRound(config, now);
      return [seedRef(round), roundRef(round), ticketsRef(round, userId)];
    },
    attempt: async ({ config, now, state }) => {
      const rules = lotteryOn(config);
      const round = openRound(config, now);
      const get = (ref: StateRef) => state(ref.scope, ref.key);
      if ((get(roundRef(round))?.value ?? 0n) >= CLOSED)
        throw new GuildmintError(ErrorCode.NOT_ELIGIBLE, 'this draw has closed; the next one opens shortly');
      const held = Number(get(ticketsRef(round, userId))?.value ?? 0n) + quantity;
      if (held > rules.maxTicketsPerMember) {
        throw new GuildmintError(
          ErrorCode.LIMIT_REACHED,
          `at most ${rules.maxTicketsPerMember} tickets per member in one draw`,
        );
      }
      const amount = BigInt(rules.ticketPrice) * BigInt(quantity);
      const drawAt = drawTime(config, round);
      const ticket: StoredTicket = {
        round,
        quantity,
        held,
        amount: amount.toString(),
        drawAt: drawAt.toISOString(),
      };
      const raced = { code: ErrorCode.CONCURRENT_UPDATE, message: 'the draw changed meanwhile' };
      const effects: StateEffect[] = [
        spendKey(bound, ticket),
        ...(seedOf(get(seedRef(round))) ? [] : newSeedEffects(ctx, round).effects),
        {
          kind: 'add',
          ...ticketsRef(round, userId),
          delta: BigInt(quantity),
          max: BigInt(rules.maxTicketsPerMember),
          fail: raced,
        },
        // Fails once the draw has closed the round (its value jumped to CLOSED).
        { kind: 'add', ...roundRef(round), delta: BigInt(quantity), max: CLOSED - 1n, fail: raced },
      ];
      const stored = await commitTransfers(
        ctx,
        [newTransfer(bound.key, account, potOf(round), amount, 'lottery.ticket')],
        { effects },
      );
      return { ...ticketOf(bound.key, ticket, false), transfers: stored.map(toPublic) };
    },
    replay: async (spent) => {
      const stored = await ctx.store.findTransfers(ctx.tenant, [bound.key]);
      return { ...ticketOf(bound.key, spent.result as StoredTicket, true), transfers: stored.map(toPublic) };
    },
  });
}

function ticketOf(id: string, t: StoredTicket, replayed: boolean): TicketReceipt {
  return {
    id,
    round: t.round,
    quantity: t.quantity,
    held: t.held,
    amount: BigInt(t.amount),
    drawAt: new Date(t.drawAt),
    transfers: [],
    replayed,
  };
}

/**
 * Draws a round once. The draw's key is the round's (`lottery-draw-<round>`): two processes drawing at
 * the same moment compute the same winner, one commits, the other's commit is refused by the spent key
 * and it answers with the committed draw. A ticket sold between the draw's read and its commit moves the
 * round row's version, which the draw guards: it is then drawn again with that ticket.
 */
async function draw(ctx: TenantContext, round: number): Promise<LotteryDraw> {
  assertRound(round);
  const bound = bindKey('lottery.draw', `lottery-draw-${round}`, { round });
  return runKeyed(ctx, bound, {
    reads: () => [seedRef(round), roundRef(round)],
    attempt: async ({ config, now, state }) => {
      const drawAt = drawTime(config, round);
      if (now < drawAt)
        throw new GuildmintError(
          ErrorCode.NOT_ELIGIBLE,
          `round ${round} is drawn at ${drawAt.toISOString()}`,
        );
      const seed = seedOf(state(STATE.lotterySeed, String(round)));
      const roundRow = state(STATE.lotteryRound, String(round));
      const [ticketRows, pot] = await Promise.all([
        ctx.store.scanState(ctx.tenant, STATE.lotteryTickets, `${round}:`),
        ctx.store.balance(ctx.tenant, potOf(round)),
      ]);
      const tickets = sortTickets(
        ticketRows.map((row) => [row.key.slice(`${round}:`.length), Number(row.value)]),
      );
      const pick = seed ? pickWinner(seed.serverSeed, tickets) : null;
      const houseCut = pick ? (pot * BigInt(config.lottery.houseCutBps)) / 10_000n : 0n;
      const prize = pick ? pot - houseCut : 0n;
      const transfers = [
        ...(pick && prize > 0n
          ? [newTransfer(bound.key, potOf(round), memberAccount(pick.winnerId), prize, 'lottery.prize')]
          : []),
        ...(houseCut > 0n
          ? [newTransfer(derivedId(bound.key, 'cut'), potOf(round), LOTTERY_SINK, houseCut, 'sink.lottery')]
          : []),
      ];
      const record: DrawRecord = {
        round,
        drawAt: drawAt.toISOString(),
        winnerId: pick?.winnerId ?? null,
        winningTicket: pick?.winningTicket ?? null,
        totalTickets: tickets.reduce((sum, [, n]) => sum + n, 0),
        pot: pot.toString(),
        prize: prize.toString(),
        houseCut: houseCut.toString(),
        proof: seed ? { ...seed, clientSeed: lotteryClientSeed(tickets), tickets } : null,
        transferIds: transfers.map((t) => t.id),
      };
      const raced = { code: ErrorCode.CONCURRENT_UPDATE, message: 'a ticket was sold during the draw' };
      const effects: StateEffect[] = [
        spendKey(bound),
        { kind: 'set', ...roundRef(round), value: CLOSED, version: roundRow?.version ?? 0n, fail: raced },
        {
          kind: 'set',
          scope: STATE.lotteryDraw,
          key: String(round),
          value: 0n,
          json: JSON.stringify(record),
          version: 0n,
          fail: raced,
        },
      ];
      const stored = await commitTransfers(ctx, transfers, { effects });
      return { ...drawOf(record, false), transfers: stored.map(toPublic) };
    },
    replay: () => result(ctx, round, true),
  });
}

async function drawDue(ctx: TenantContext): Promise<LotteryDraw[]> {
  const [{ config }, rows] = await Promise.all([
    ctx.config(),
    ctx.store.scanState(ctx.tenant, STATE.lotteryRound, ''),
  ]);
  const now = ctx.clock.now();
  const due = rows
    .filter((row) => row.value < CLOSED && drawTime(config, Number(row.key)) <= now)
    .map((row) => Number(row.key))
    .sort((a, b) => a - b);
  const draws: LotteryDraw[] = [];
  for (const round of due) draws.push(await draw(ctx, round));
  return draws;
}

async function result(ctx: TenantContext, round: number, replayed = false): Promise<LotteryDraw> {
  assertRound(round);
  const row = (await readScope(ctx.store, ctx.tenant, STATE.lotteryDraw, [String(round)])).get(String(round));
  if (!row?.json) throw new GuildmintError(ErrorCode.NOT_FOUND, `round ${round} has not been drawn`);
  const record = JSON.parse(row.json) as DrawRecord;
  const stored = record.transferIds.length
    ? await ctx.store.findTransfers(ctx.tenant, record.transferIds)
    : [];
  return { ...drawOf(record, replayed), transfers: stored.map(toPublic) };
}

function drawOf(record: DrawRecord, replayed: boolean): LotteryDraw {
  const { transferIds: _ids, drawAt, pot, prize, houseCut, ...rest } = record;
  return {
    ...rest,
    drawAt: new Date(drawAt),
    pot: BigInt(pot),
    prize: BigInt(prize),
    houseCut: BigInt(houseCut),
    transfers: [],
    replayed,
  };
}

function lotteryOn(config: EconomyConfig): EconomyConfig['lottery'] {
  if (!config.lottery.enabled)
    throw new GuildmintError(ErrorCode.NOT_FOUND, 'the lottery is off in this server');
  return config.lottery;
}

function assertRound(round: unknown): asserts round is number {
  if (!Number.isSafeInteger(round) || (round as number) < 0)
    throw invalidInput('round', 'must be a round number');
}
