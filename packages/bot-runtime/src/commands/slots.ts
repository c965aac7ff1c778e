import type { Command } from '../command.js';
import { gameCommand, playRound } from '../play.js';

export default {
  name: 'slots',
  define: (config) => gameCommand(config, 'slots', 'Spin the slot machine'),
  run: (ctx) => playRound(ctx, 'slots'),
} satisfies Command;
