import type { Command } from '../command.js';
import { Colors, embed, mention, reply } from '../replies.js';
import { userOption } from '../slash.js';

/** A progress bar of ten cells. */
function progressBar(into: number, span: number): string {
  const filled = span > 0 ? Math.min(10, Math.floor((into * 10) / span)) : 0;
  return `${'▰'.repeat(filled)}${'▱'.repeat(10 - filled)}`;
}

/** `/rank [member]`: level, XP toward the next level and place on the XP board. */
export default {
  name: 'rank',
  define: (config) =>
    config.levels.enabled
      ? [
          {
            name: 'rank',
            description: 'Your level and XP (or another member’s)',
            options: [userOption('member', 'Whose rank to show (default: yours)')],
          },
        ]
      : [],
  async run(ctx) {
    const userId = ctx.options.user('member') ?? ctx.userId;
    const rank = await ctx.tenant.levels.rank(userId);
    return reply(
      embed({
        title: `⭐ Level ${rank.level}`,
        description: `${mention(userId)} — ${rank.rank === null ? 'no XP yet: chat or join a voice channel!' : `#${rank.rank} on this server`}`,
        color: Colors.info,
        fields: [
          {
            name: 'Progress',
            value: `${progressBar(rank.intoLevel, rank.levelSpan)} ${rank.intoLevel} / ${rank.levelSpan} XP`,
          },
          { name: 'Total XP', value: String(rank.xp), inline: true },
          { name: 'Next level at', value: `${rank.nextLevelAt} XP`, inline: true },
        ],
      }),
    );
  },
} satisfies Command;
