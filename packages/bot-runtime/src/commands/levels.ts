import type { Command } from '../command.js';
import { embed, mention, reply } from '../replies.js';

const MEDALS = ['🥇', '🥈', '🥉'];

/** `/levels`: the members with the most XP, and the roles levels give. */
export default {
  name: 'levels',
  define: (config) =>
    config.levels.enabled ? [{ name: 'levels', description: 'The most active members of this server' }] : [],
  async run(ctx) {
    const top = await ctx.tenant.levels.top({ limit: 10 });
    const lines = top.map(
      (row, i) =>
        `${MEDALS[i] ?? `**${i + 1}.**`} ${mention(row.userId)} — level ${row.level} (${row.xp} XP)`,
    );
    const rewards = [...ctx.config.levels.roleRewards]
      .sort((a, b) => a.level - b.level)
      .map((r) => `Level ${r.level}: <@&${r.roleId}>`);
    return reply(
      embed({
        title: '📈 Levels',
        description: lines.length ? lines.join('\n') : 'No one has any XP yet. Say hello!',
        ...(rewards.length > 0 && { fields: [{ name: 'Role rewards', value: rewards.join('\n') }] }),
      }),
    );
  },
} satisfies Command;
