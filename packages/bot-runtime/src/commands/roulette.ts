import type { Command } from '../command.js';
import { gameCommand, playRound } from '../play.js';
import { stringOption } from '../slash.js';

export default {
  name: 'roulette',
  define: (config) =>
    gameCommand(
      config,
      'roulette',
      'European roulette: bet on a colour, odd/even, low/high or a number',
      () => [
        stringOption('on', 'red, black, odd, even, low, high, or a number 0-36', {
          required: true,
          maxLength: 5,
        }),
      ],
    ),
  run: (ctx) => {
    const on = ctx.options.string('on', true).trim().toLowerCase();
    // A single number is a number to the SDK; everything else stays a word it validates.
    return playRound(ctx, 'roulette', { on: /^\d{1,2}$/.test(on) ? Number(on) : on });
  },
} satisfies Command;
