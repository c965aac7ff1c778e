import type { Command } from '../command.js';
import { gameCommand, playRound } from '../play.js';
import { stringOption } from '../slash.js';

export default {
  name: 'coinflip',
  define: (config) =>
    gameCommand(config, 'coinflip', 'Flip a coin: call it right and win', () => [
      stringOption('side', 'Heads or tails', {
        required: true,
        choices: [
          { name: 'Heads', value: 'heads' },
          { name: 'Tails', value: 'tails' },
        ],
      }),
    ]),
  run: (ctx) => playRound(ctx, 'coinflip', { side: ctx.options.string('side', true) }),
} satisfies Command;
