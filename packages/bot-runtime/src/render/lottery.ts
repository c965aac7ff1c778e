import { hashServerSeed, type LotteryDraw, verifyLotteryDraw } from '@guildmint/sdk';
import { type CurrencyFormat, formatAmount } from '../format.js';
import { Colors, embed, mention, type Reply, reply } from '../replies.js';

/** Ticket ranges listed in a proof reply; the rest are counted (the client seed still covers them all). */
const LISTED_HOLDERS = 15;

/**
 * A drawn lottery round checked with `verifyLotteryDraw` (the SDK's one rule), and the proof spelled out:
 * what was committed, what was revealed, the ticket list the client seed hashes, and why the winning
 * ticket names the winner. Shared by `/lottery verify` and `/fair lottery`.
 */
export function lotteryProofReply(draw: LotteryDraw, currency: CurrencyFormat): Reply {
  const ok = verifyLotteryDraw(draw);
  const title = ok ? `✅ Round ${draw.round} checks out` : `❌ Round ${draw.round} does not verify`;
  const color = ok ? Colors.success : Colors.error;
  const { proof } = draw;
  if (proof === null || draw.winnerId === null || draw.winningTicket === null)
    return reply(embed({ title, description: 'Nobody bought a ticket for this round.', color }));
  const ranges = ticketRanges(proof.tickets);
  const winner = ranges.find((r) => r.userId === draw.winnerId);
  const listed = ranges.slice(0, LISTED_HOLDERS).map((r) => `${mention(r.userId)}: ${rangeText(r)}`);
  if (ranges.length > LISTED_HOLDERS) listed.push(`…and ${ranges.length - LISTED_HOLDERS} more members`);
  const seedMatches = hashServerSeed(proof.serverSeed) === proof.serverSeedHash;
  return reply(
    embed({
      title,
      description: `Ticket #${draw.winningTicket} of ${draw.totalTickets} won: ${mention(draw.winnerId)} got ${formatAmount(draw.prize, currency)}.`,
      color,
      fields: [
        {
          name: 'Committed before the first ticket (SHA-256 of the server seed)',
          value: `\`${proof.serverSeedHash}\``,
        },
        {
          name: 'Revealed at the draw (server seed)',
          value: `\`${proof.serverSeed}\`\n${seedMatches ? 'Its SHA-256 is the committed hash.' : 'Its SHA-256 is NOT the committed hash.'}`,
        },
        { name: 'Tickets, by member id', value: listed.join('\n') },
        { name: 'Client seed (SHA-256 of that ticket list)', value: `\`${proof.clientSeed}\`` },
        {
          name: 'Why this winner',
          value: `HMAC-SHA256(server seed, client seed, nonce 0) draws ticket #${draw.winningTicket} of ${draw.totalTickets}${winner ? `, which is in ${mention(winner.userId)}'s ${rangeText(winner)}` : ''}.`,
        },
      ],
    }),
  );
}

interface TicketRange {
  userId: string;
  first: number;
  last: number;
}

/** Each member's tickets numbered in a row, in the list's order (as `pickWinner` numbers them). */
function ticketRanges(tickets: ReadonlyArray<readonly [string, number]>): TicketRange[] {
  let next = 0;
  return tickets.map(([userId, n]) => {
    const range = { userId, first: next, last: next + n - 1 };
    next += n;
    return range;
  });
}

function rangeText(r: TicketRange): string {
  return r.first === r.last ? `ticket #${r.first}` : `tickets #${r.first}–#${r.last}`;
}
