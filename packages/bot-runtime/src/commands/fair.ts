import {
  ErrorCode,
  gameReturns,
  isGuildmintError,
  type Tenant,
  verifyRobbery,
  verifyRound,
} from '@guildmint/sdk';
import type { Command, GuildConfig } from '../command.js';
import { RuntimeError, RuntimeErrorCode } from '../errors.js';
import { type CurrencyFormat, formatAmount } from '../format.js';
import { lotteryProofReply } from '../render/lottery.js';
import { Colors, embed, reply } from '../replies.js';
import { integerOption, stringOption, subcommandOption } from '../slash.js';

/**
 * Provably fair games: see the committed seed, rotate it (revealing the old one), verify a round or a
 * robbery, and check a lottery draw.
 */
export default {
  name: 'fair',
  privateReply: true,
  define: (config) => {
    const seeded = Object.values(config.games).some((game) => game?.enabled) || config.robbery.enabled;
    const options = [
      ...(seeded
        ? [
            subcommandOption('show', 'Your current server seed hash, client seed and nonce'),
            subcommandOption('rotate', 'Reveal your server seed and commit to a new one', [
              stringOption('client_seed', 'A new client seed of your choice (A-Z a-z 0-9 _ -)', {
                maxLength: 64,
              }),
            ]),
            subcommandOption('verify', 'Check a round against its revealed server seed', [
              stringOption('round_id', 'The round or robbery id (in its footer)', { required: true }),
              stringOption('server_seed', 'The server seed revealed by /fair rotate', { required: true }),
            ]),
          ]
        : []),
      ...(config.lottery.enabled
        ? [
            subcommandOption(
              'lottery',
              'Check a lottery draw: its committed seed, the tickets and the winner',
              [
                integerOption('round', 'The round number (in the draw announcement)', {
                  required: true,
                  min: 0,
                }),
              ],
            ),
          ]
        : []),
    ];
    return options.length > 0
      ? [{ name: 'fair', description: 'Check that the games are fair', options }]
      : [];
  },
  async run(ctx) {
    switch (ctx.options.subcommand) {
      case 'show': {
        const seeds = await ctx.tenant.fairness(ctx.userId);
        return reply(
          embed({
            title: '🔐 Your seeds',
            description:
              'Each round is drawn from HMAC-SHA256 of the server seed, your client seed and the nonce. The server seed stays secret until you rotate it; its hash below is the commitment.',
            fields: [
              { name: 'Server seed hash', value: `\`${seeds.serverSeedHash}\`` },
              { name: 'Client seed', value: `\`${seeds.clientSeed}\``, inline: true },
              { name: 'Next nonce', value: String(seeds.nonce), inline: true },
              { name: 'Return to player', value: returnsText(ctx.config, ctx.currency) },
            ],
          }),
        );
      }
      case 'rotate': {
        const clientSeed = ctx.options.string('client_seed');
        const rotated = await ctx.tenant.rotateSeed(
          ctx.userId,
          clientSeed === undefined ? {} : { clientSeed },
        );
        return reply(
          embed({
            title: '🔄 Seeds rotated',
            description: 'Use the revealed seed with `/fair verify` to check your past rounds.',
            fields: [
              { name: 'Revealed server seed', value: `\`${rotated.revealedServerSeed}\`` },
              { name: 'New server seed hash', value: `\`${rotated.next.serverSeedHash}\`` },
              { name: 'Client seed', value: `\`${rotated.next.clientSeed}\``, inline: true },
              { name: 'Next nonce', value: String(rotated.next.nonce), inline: true },
            ],
          }),
        );
      }
      case 'verify': {
        const roundId = ctx.options.string('round_id', true).trim();
        const seed = ctx.options.string('server_seed', true).trim();
        const robbery = await findRobbery(ctx.tenant, roundId);
        if (robbery) {
          const ok = verifyRobbery(robbery, seed);
          return reply(
            embed({
              title: ok ? '✅ Verified' : '❌ Does not verify',
              description: ok
                ? `Robbery ${roundId} by <@${robbery.robberId}> (nonce ${robbery.proof.nonce}) is exactly what this seed produces from both wallets.`
                : `That seed does not produce robbery ${roundId}. Make sure it is the robber's seed revealed after it.`,
              color: ok ? Colors.success : Colors.error,
            }),
          );
        }
        const round = await findRound(ctx.tenant, roundId);
        const ok = verifyRound(round, seed);
        // Anyone may check any round of this server (fairness is public); say whose it is when not theirs.
        const whose = round.userId === ctx.userId ? '' : ` played by <@${round.userId}>`;
        return reply(
          embed({
            title: ok ? '✅ Verified' : '❌ Does not verify',
            description: ok
              ? `Round ${roundId}${whose} (${round.game}, nonce ${round.proof.nonce}) is exactly what this seed produces.`
              : `That seed does not produce round ${roundId}${whose}. Make sure it is the seed revealed after this round was played.`,
            color: ok ? Colors.success : Colors.error,
          }),
        );
      }
      case 'lottery':
        return lotteryProofReply(
          await ctx.tenant.lottery.result(ctx.options.integer('round', true)),
          ctx.currency,
        );
      default:
        throw new RuntimeError(RuntimeErrorCode.INVALID_OPTION, 'Choose show, rotate, verify or lottery');
    }
  },
} satisfies Command;

/**
 * What each open game pays back on average: exact at every bet, since payouts round without bias (a
 * whole part, and one unit more with a chance equal to the fraction, from the round's own draws).
 */
function returnsText(config: GuildConfig, currency: CurrencyFormat): string {
  const lines = gameReturns(config.games)
    .filter((g) => g.enabled)
    .map((g) => {
      const capped =
        g.cappedFromBet !== null && g.maxPayout !== null
          ? ` (bets from ${formatAmount(BigInt(g.cappedFromBet), currency)} return less: no round pays over ${formatAmount(BigInt(g.maxPayout), currency)})`
          : '';
      return `${g.game} **${(g.rtp * 100).toFixed(2)} %**${capped}`;
    });
  return [
    ...lines,
    'Paid back per coin bet, on average, at every bet: a fraction of a coin is paid with a chance equal to it.',
  ].join('\n');
}

/** A robbery by its id (robberies share the robber's seeds with the games), or null when there is none. */
async function findRobbery(tenant: Tenant, id: string) {
  if (id.length === 0 || id.length > 100) return null;
  try {
    return await tenant.robbery(id);
  } catch (error) {
    if (isGuildmintError(error, ErrorCode.NOT_FOUND) || isGuildmintError(error, ErrorCode.INVALID_INPUT))
      return null;
    throw error;
  }
}

/** The round as the SDK stored it (any process, any time since), or ROUND_UNKNOWN. */
async function findRound(tenant: Tenant, roundId: string) {
  const unknown = (cause?: unknown) =>
    new RuntimeError(
      RuntimeErrorCode.ROUND_UNKNOWN,
      `There is no round ${roundId.slice(0, 40)} in this server. Check the id in the round's footer`,
      { cause },
    );
  if (roundId.length === 0 || roundId.length > 100) throw unknown();
  try {
    return await tenant.round(roundId);
  } catch (error) {
    if (isGuildmintError(error, ErrorCode.NOT_FOUND) || isGuildmintError(error, ErrorCode.INVALID_INPUT))
      throw unknown(error);
    throw error;
  }
}
