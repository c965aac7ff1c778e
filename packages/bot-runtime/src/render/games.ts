import type { PlayResult } from '@guildmint/sdk';
import type { APIActionRowComponent, APIButtonComponent } from 'discord.js';
import { ButtonStyle, ComponentType } from 'discord.js';
import { z } from 'zod';
import { type CurrencyFormat, formatAmount, formatDelta } from '../format.js';
import { Colors, embed, type Reply } from '../replies.js';

// How each game's round reads in Discord. Outcomes are parsed (not cast): an outcome of a shape this
// file does not know still renders, generically, instead of throwing.

const coinflipOutcome = z.object({ side: z.string(), landed: z.string(), win: z.boolean() });
const diceOutcome = z.object({
  target: z.number(),
  direction: z.string(),
  roll: z.number(),
  win: z.boolean(),
});
const slotsOutcome = z.object({ symbols: z.array(z.string()), line: z.number().nullable() });
const rouletteOutcome = z.object({
  on: z.union([z.string(), z.number()]),
  number: z.number(),
  color: z.string(),
  win: z.boolean(),
});
const hand = z.object({ cards: z.array(z.string()), total: z.number(), soft: z.boolean() });
export const blackjackOutcome = z.object({
  player: hand,
  dealer: hand,
  doubled: z.boolean(),
  result: z.enum(['win', 'lose', 'push']).nullable(),
  reason: z.string().nullable(),
  options: z.array(z.enum(['hit', 'stand', 'double'])),
});

const SLOT_EMOJI: Record<string, string> = { cherry: '🍒', lemon: '🍋', bell: '🔔', star: '⭐', seven: '7️⃣' };
const COLOR_EMOJI: Record<string, string> = { red: '🔴', black: '⚫', green: '🟢' };

/** A line on what the round did to the member's balance. */
function settlement(result: PlayResult, currency: CurrencyFormat): { line: string; color: number } {
  if (!result.finished)
    return { line: `Stake: **${formatAmount(result.bet, currency)}**`, color: Colors.info };
  const net = result.payout - result.bet;
  if (net > 0n) {
    return {
      line: `You won **${formatDelta(net, currency)}** (paid ${formatAmount(result.payout, currency)})`,
      color: Colors.success,
    };
  }
  if (net === 0n)
    return { line: `Push: your ${formatAmount(result.bet, currency)} is back`, color: Colors.neutral };
  if (result.payout > 0n) {
    return {
      line: `You lost **${formatAmount(-net, currency)}** (paid back ${formatAmount(result.payout, currency)})`,
      color: Colors.loss,
    };
  }
  return { line: `You lost **${formatAmount(result.bet, currency)}**`, color: Colors.loss };
}

function footer(result: PlayResult): string {
  return `Round ${result.roundId} · nonce ${result.proof.nonce} · seed ${result.proof.serverSeedHash.slice(0, 12)}… · /fair`;
}

function describeOutcome(result: PlayResult): { title: string; text: string } {
  switch (result.game) {
    case 'coinflip': {
      const o = coinflipOutcome.safeParse(result.outcome);
      if (!o.success) break;
      return {
        title: `🪙 Coinflip: ${o.data.landed}`,
        text: `You called **${o.data.side}**, it landed **${o.data.landed}**.`,
      };
    }
    case 'dice': {
      const o = diceOutcome.safeParse(result.outcome);
      if (!o.success) break;
      return {
        title: `🎲 Dice: ${o.data.roll.toFixed(2)}`,
        text: `You bet **${o.data.direction} ${o.data.target}**; the roll was **${o.data.roll.toFixed(2)}**.`,
      };
    }
    case 'slots': {
      const o = slotsOutcome.safeParse(result.outcome);
      if (!o.success) break;
      const reels = o.data.symbols.map((s) => SLOT_EMOJI[s] ?? `[${s}]`).join(' ');
      return { title: '🎰 Slots', text: `| ${reels} |${o.data.line === null ? '' : '  ← a winning line!'}` };
    }
    case 'roulette': {
      const o = rouletteOutcome.safeParse(result.outcome);
      if (!o.success) break;
      return {
        title: `🎡 Roulette: ${o.data.number} ${o.data.color}`,
        text: `You bet on **${o.data.on}**; the ball landed on ${COLOR_EMOJI[o.data.color] ?? ''} **${o.data.number}**.`,
      };
    }
    case 'blackjack': {
      const o = blackjackOutcome.safeParse(result.outcome);
      if (!o.success) break;
      const { player, dealer } = o.data;
      const show = (h: z.infer<typeof hand>) =>
        `${h.cards.join(' ')}  (**${h.soft ? 'soft ' : ''}${h.total}**)`;
      const verdict =
        o.data.result === null
          ? 'Your move.'
          : `${capitalize(o.data.result)}: ${REASONS[o.data.reason ?? ''] ?? ''}`;
      return {
        title: `🃏 Blackjack${o.data.doubled ? ' (doubled)' : ''}`,
        text: `Your hand: ${show(player)}\nDealer: ${show(dealer)}${result.finished ? '' : ' + 🂠'}\n${verdict}`,
      };
    }
  }
  return { title: `🎮 ${capitalize(result.game)}`, text: `Outcome: \`${JSON.stringify(result.outcome)}\`` };
}

const REASONS: Record<string, string> = {
  blackjack: 'blackjack!',
  'dealer-blackjack': 'the dealer has blackjack.',
  'both-blackjack': 'both have blackjack.',
  bust: 'you went over 21.',
  'dealer-bust': 'the dealer went over 21.',
  higher: 'your hand beats the dealer.',
  lower: "the dealer's hand is higher.",
  equal: 'equal totals.',
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The custom id of a blackjack button: the round, the action and the player it belongs to. */
export function blackjackButtonId(roundId: string, action: string, ownerId: string): string {
  return `bj:${roundId}:${action}:${ownerId}`;
}

const BUTTON_STYLE = {
  hit: ButtonStyle.Primary,
  stand: ButtonStyle.Secondary,
  double: ButtonStyle.Success,
} as const;

/** A round as a reply: what happened, what it paid, and (blackjack, unfinished) the buttons to go on. */
export function renderRound(result: PlayResult, currency: CurrencyFormat, ownerId: string): Reply {
  const { title, text } = describeOutcome(result);
  const { line, color } = settlement(result, currency);
  const replayed = result.replayed ? '\n_(already played: this is the same round)_' : '';
  const reply: Reply = {
    embeds: [embed({ title, description: `${text}\n${line}${replayed}`, color, footer: footer(result) })],
  };
  if (result.game === 'blackjack' && !result.finished) {
    const o = blackjackOutcome.safeParse(result.outcome);
    const actions = o.success ? o.data.options : (['hit', 'stand'] as const);
    const row: APIActionRowComponent<APIButtonComponent> = {
      type: ComponentType.ActionRow,
      components: actions.map((action) => ({
        type: ComponentType.Button,
        style: BUTTON_STYLE[action],
        label: capitalize(action),
        custom_id: blackjackButtonId(result.roundId, action, ownerId),
      })),
    };
    reply.components = [row];
  } else if (result.game === 'blackjack') {
    // A finished round's message loses its buttons.
    reply.components = [];
  }
  return reply;
}
