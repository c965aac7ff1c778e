import { createHash } from 'node:crypto';
import { createDraws, hashServerSeed } from '../games/fairness.js';

/*
 * How a lottery draw is decided, exactly, so anyone can check one (`verifyLotteryDraw`):
 *
 * 1. The round's server seed is committed (its SHA-256 shown by `/lottery status`) before the first ticket.
 * 2. At the draw, the tickets are listed by member id (ascending), each member's tickets numbered in a
 *    row: member 1 holds tickets 0..c1−1, member 2 the next c2, and so on.
 * 3. clientSeed = hex(SHA-256(JSON of that list)): every ticket sold changes the draw.
 * 4. winningTicket = nextInt(total) of the provably fair stream (games/fairness.ts) at nonce 0.
 */

/** Tickets per member, sorted by member id: the list a draw is decided on. */
export type TicketList = Array<[userId: string, tickets: number]>;

export interface LotteryDrawProof {
  serverSeedHash: string;
  /** Revealed at the draw. */
  serverSeed: string;
  clientSeed: string;
  tickets: TicketList;
}

export interface LotteryPick {
  winningTicket: number;
  winnerId: string;
}

export function sortTickets(tickets: Iterable<[string, number]>): TicketList {
  return [...tickets].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Step 3. */
export function lotteryClientSeed(tickets: TicketList): string {
  return createHash('sha256').update(JSON.stringify(tickets), 'utf8').digest('hex');
}

/** Steps 2–4; null when no ticket was sold. */
export function pickWinner(serverSeed: string, tickets: TicketList): LotteryPick | null {
  const total = tickets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const winningTicket = createDraws(serverSeed, lotteryClientSeed(tickets), 0).nextInt(total);
  let first = 0;
  for (const [userId, n] of tickets) {
    if (winningTicket < first + n) return { winningTicket, winnerId: userId };
    first += n;
  }
  throw new Error('unreachable: the winning ticket is below the total');
}

/**
 * True only when the revealed seed hashes to the commitment, the client seed follows from the ticket
 * list, and the draw recomputed from them names the same ticket and winner. Never throws.
 */
export function verifyLotteryDraw(draw: {
  /** null: the round never opened (no seed, no ticket), so nobody can have won. */
  proof: LotteryDrawProof | null;
  winningTicket: number | null;
  winnerId: string | null;
}): boolean {
  try {
    const { proof } = draw;
    if (proof === null) return draw.winnerId === null && draw.winningTicket === null;
    if (hashServerSeed(proof.serverSeed) !== proof.serverSeedHash) return false;
    if (lotteryClientSeed(proof.tickets) !== proof.clientSeed) return false;
    const pick = pickWinner(proof.serverSeed, proof.tickets);
    if (!pick) return draw.winnerId === null && draw.winningTicket === null;
    return pick.winnerId === draw.winnerId && pick.winningTicket === draw.winningTicket;
  } catch {
    return false;
  }
}
