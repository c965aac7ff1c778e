import { ErrorCode, isGameAction, isGuildmintError } from '@guildmint/sdk';
import type { Command } from '../command.js';
import { RuntimeError, RuntimeErrorCode } from '../errors.js';
import { gameCommand, playRound } from '../play.js';
import { renderRound } from '../render/games.js';

const NOT_YOURS = 'This hand belongs to someone else. Start your own with /blackjack';

/**
 * `/blackjack bet`, then the buttons `bj:<roundId>:<hit|stand|double>:<playerId>`. The player id in the
 * custom id only lets a bystander be told early; the SDK is the guard: `act` is called with the presser's
 * id and refuses a round that is not theirs (a forged custom id gets nowhere).
 */
export default {
  name: 'blackjack',
  define: (config) => gameCommand(config, 'blackjack', 'Play a hand of blackjack against the dealer'),
  run: (ctx) => playRound(ctx, 'blackjack'),
  buttons: {
    prefix: 'bj',
    async run(ctx) {
      const [, roundId, action, ownerId] = ctx.args;
      if (!roundId || !isGameAction(action)) {
        throw new RuntimeError(RuntimeErrorCode.UNKNOWN_COMMAND, 'That button is not one of mine');
      }
      if (ownerId !== undefined && ownerId !== ctx.userId) {
        throw new RuntimeError(RuntimeErrorCode.NOT_YOUR_ROUND, NOT_YOURS);
      }
      try {
        // The button press's interaction id keys the action: a retried press acts once.
        const result = ctx.counted(
          'act',
          await ctx.tenant.act(roundId, action, { key: ctx.interactionId, userId: ctx.userId }),
        );
        return renderRound(result, ctx.currency, ctx.userId);
      } catch (error) {
        // Someone else's round (FORBIDDEN), or none at all (NOT_FOUND: a forged custom id).
        if (isGuildmintError(error, ErrorCode.FORBIDDEN) || isGuildmintError(error, ErrorCode.NOT_FOUND)) {
          throw new RuntimeError(
            RuntimeErrorCode.NOT_YOUR_ROUND,
            'That hand is not one of yours. Start your own with /blackjack',
            { cause: error },
          );
        }
        throw error;
      }
    },
  },
} satisfies Command;
