import { PermissionFlagsBits } from 'discord.js';
import type { Command, CommandContext } from '../command.js';
import { RuntimeError, RuntimeErrorCode } from '../errors.js';
import { formatAmount, formatBps, parseSince } from '../format.js';
import { Colors, embed, mention, type Reply, reply } from '../replies.js';
import { amountOption, stringOption, subcommandOption, userOption } from '../slash.js';

const reason = (required: boolean) =>
  stringOption('reason', 'Why (kept in the audit log)', { required, maxLength: 500 });

/** Admin tools for members with Manage Server; every action is audited with the admin as actor. */
export default {
  name: 'eco',
  adminOnly: true,
  privateReply: true,
  define: (config) => [
    {
      name: 'eco',
      description: 'Economy admin tools (Manage Server)',
      default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
      options: [
        subcommandOption('grant', 'Give a member new currency', [
          userOption('member', 'Who receives it', { required: true }),
          amountOption('amount', 'How much', config.currency, { required: true }),
          reason(true),
        ]),
        subcommandOption('revoke', "Take currency from a member's balance", [
          userOption('member', 'Whose balance', { required: true }),
          amountOption('amount', 'How much', config.currency, { required: true }),
          reason(true),
        ]),
        subcommandOption('freeze', 'Stop a member from spending or sending', [
          userOption('member', 'Who', { required: true }),
          reason(true),
        ]),
        subcommandOption('unfreeze', "Lift a member's freeze", [
          userOption('member', 'Who', { required: true }),
          reason(false),
        ]),
        subcommandOption('rollback', "Undo every transfer of a member's since a time (exploits)", [
          userOption('member', 'Whose transfers', { required: true }),
          stringOption('since', 'How far back: 30m, 2h, 3d, 1w or a date (2026-01-31)', { required: true }),
          reason(true),
        ]),
        subcommandOption('stats', 'Money supply, flows and activity of this economy'),
      ],
    },
  ],
  async run(ctx) {
    const sub = ctx.options.subcommand;
    switch (sub) {
      case 'grant':
      case 'revoke': {
        const member = ctx.options.user('member', true);
        const amount = ctx.options.amount('amount', ctx.currency.decimals);
        const o = { reason: ctx.options.string('reason', true), actor: ctx.userId, key: ctx.interactionId };
        const receipt = ctx.counted(
          sub,
          sub === 'grant'
            ? await ctx.tenant.grant(member, amount, o)
            : await ctx.tenant.revoke(member, amount, o),
        );
        const verb = sub === 'grant' ? 'Granted' : 'Revoked';
        return done(
          ctx,
          `${verb} **${formatAmount(receipt.amount, ctx.currency)}** ${sub === 'grant' ? 'to' : 'from'} ${mention(member)}.`,
          member,
        );
      }
      case 'freeze': {
        const member = ctx.options.user('member', true);
        await ctx.tenant.freeze(member, {
          reason: ctx.options.string('reason', true),
          actor: ctx.userId,
          key: ctx.interactionId,
        });
        ctx.counted('freeze', { replayed: false });
        return done(
          ctx,
          `🧊 ${mention(member)}'s wallet is frozen: they can receive but not spend or send.`,
          member,
        );
      }
      case 'unfreeze': {
        const member = ctx.options.user('member', true);
        const why = ctx.options.string('reason');
        await ctx.tenant.unfreeze(member, {
          actor: ctx.userId,
          key: ctx.interactionId,
          ...(why !== undefined && { reason: why }),
        });
        ctx.counted('unfreeze', { replayed: false });
        return done(ctx, `${mention(member)}'s wallet is unfrozen.`, member);
      }
      case 'rollback': {
        const member = ctx.options.user('member', true);
        // Relative to the interaction, not to now: a retry must ask for the same window (same key).
        const since = parseSince(ctx.options.string('since', true), ctx.createdAt);
        const { reversed } = await ctx.tenant.rollback(member, {
          since,
          reason: ctx.options.string('reason', true),
          actor: ctx.userId,
          key: ctx.interactionId,
        });
        ctx.counted('rollback', { replayed: false });
        return done(
          ctx,
          `⏪ Reversed **${reversed}** transfer${reversed === 1 ? '' : 's'} of ${mention(member)} since <t:${Math.floor(since.getTime() / 1000)}:f>.`,
          member,
        );
      }
      case 'stats': {
        const s = await ctx.tenant.stats();
        const money = (n: bigint) => formatAmount(n, ctx.currency);
        return reply(
          embed({
            title: '📊 Economy stats',
            fields: [
              { name: 'Money supply', value: money(s.moneySupply), inline: true },
              { name: 'Minted', value: money(s.minted), inline: true },
              { name: 'Burned', value: money(s.burned), inline: true },
              { name: 'Net emission (today)', value: money(s.netEmission.today), inline: true },
              {
                name: 'Inflation (30 d)',
                value: s.inflationBps30d === null ? 'n/a (young economy)' : formatBps(s.inflationBps30d),
                inline: true,
              },
              { name: 'Velocity (30 d)', value: s.velocity30d.toFixed(2), inline: true },
              { name: 'Gini', value: s.gini.toFixed(4), inline: true },
              { name: 'Members', value: String(s.members), inline: true },
              {
                name: 'Active',
                value: `${s.activeMembers.day} today · ${s.activeMembers.week} this week · ${s.activeMembers.month} this month`,
                inline: false,
              },
            ],
            footer: `config v${ctx.config.version}`,
          }),
          { ephemeral: true },
        );
      }
      default:
        throw new RuntimeError(
          RuntimeErrorCode.INVALID_OPTION,
          'Choose grant, revoke, freeze, unfreeze, rollback or stats',
        );
    }
  },
} satisfies Command;

async function done(ctx: CommandContext, text: string, member: string): Promise<Reply> {
  const balance = await ctx.tenant.balance(member);
  return reply(
    embed({
      title: '🛠️ Done',
      description: `${text}\nTheir balance: **${formatAmount(balance, ctx.currency)}**.`,
      color: Colors.success,
    }),
    { ephemeral: true },
  );
}
