import type { GameName } from '@guildmint/sdk';
import type { CommandContext, GuildConfig, Reply, SlashCommandData } from './command.js';
import { renderRound } from './render/games.js';
import { amountOption, type SlashValueOption } from './slash.js';

/** A game's slash command when the game is enabled in this config: a `bet` option, then the game's own. */
export function gameCommand(
  config: GuildConfig,
  game: GameName,
  description: string,
  options: (game: NonNullable<GuildConfig['games'][GameName]>) => SlashValueOption[] = () => [],
): SlashCommandData[] {
  const settings = config.games[game];
  if (!settings?.enabled) return [];
  return [
    {
      name: game,
      description,
      options: [
        amountOption('bet', 'How much to bet', config.currency, {
          required: true,
          min: settings.minBet,
          max: settings.maxBet,
        }),
        ...options(settings),
      ],
    },
  ];
}

/** Plays one round keyed by the interaction id and renders it (`/fair verify` finds it later in the SDK). */
export async function playRound(
  ctx: CommandContext,
  game: GameName,
  choice: Record<string, unknown> = {},
): Promise<Reply> {
  const bet = ctx.options.amount('bet', ctx.currency.decimals);
  const result = ctx.counted(
    'play',
    await ctx.tenant.play(game, ctx.userId, { ...choice, bet, key: ctx.interactionId }),
  );
  return renderRound(result, ctx.currency, ctx.userId);
}
