import type { Command } from '../command.js';
import { gameCommand, playRound } from '../play.js';
import { numberOption, stringOption } from '../slash.js';

export default {
  name: 'dice',
  define: (config) =>
    gameCommand(
      config,
      'dice',
      'Roll 0.00–99.99: win when the roll lands over or under your target',
      (game) => [
        numberOption('target', 'The threshold (win chance in %)', {
          required: true,
          ...('minTarget' in game && { min: game.minTarget, max: game.maxTarget }),
        }),
        stringOption('direction', 'Win when the roll is over or under the target', {
          required: true,
          choices: [
            { name: 'Over', value: 'over' },
            { name: 'Under', value: 'under' },
          ],
        }),
      ],
    ),
  run: (ctx) =>
    playRound(ctx, 'dice', {
      target: ctx.options.number('target', true),
      direction: ctx.options.string('direction', true),
    }),
} satisfies Command;
