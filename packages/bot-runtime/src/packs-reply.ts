import type { APIEmbedField } from 'discord.js';
import type { CommandContext } from './command.js';
import { RuntimeError, RuntimeErrorCode } from './errors.js';
import { formatAmount } from './format.js';
import type { PackListing } from './packs.js';
import { Colors, embed, type Reply, reply } from './replies.js';

/** A price in a currency's minor units, as people read it ("US$4.99"). */
export function formatPrice(unitAmount: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(unitAmount / 10 ** digits);
}

/**
 * `/buy pack:<name>`: an ephemeral link to Stripe's Checkout page for this member. Nothing is credited
 * here: the coins land when Stripe's webhook reaches the control plane, which DMs the member.
 */
export async function buyPack(ctx: CommandContext, pack: string): Promise<Reply> {
  if (!ctx.packs)
    throw new RuntimeError(RuntimeErrorCode.PACK_REFUSED, 'this server sells no currency packs');
  const link = await ctx.packs.checkout({ guildId: ctx.guildId, memberId: ctx.userId, pack });
  const until = Math.floor(link.expiresAt.getTime() / 1000);
  return reply(
    embed({
      title: '💳 Checkout',
      description: [
        `[Pay for **${pack}** on Stripe's page](${link.url}) (this link is yours alone and expires <t:${until}:R>).`,
        'Your coins arrive as soon as Stripe confirms the payment, and I will tell you by DM.',
        '_Coins bought with money cannot be sold back for money._',
      ].join('\n'),
      color: Colors.success,
    }),
    { ephemeral: true },
  );
}

/** The shop's lines for currency packs (none when packs are off or cannot be read right now). */
export async function packFields(ctx: CommandContext): Promise<APIEmbedField[]> {
  let packs: PackListing[] = [];
  try {
    packs = (await ctx.packs?.list(ctx.guildId)) ?? [];
  } catch (error) {
    ctx.log.warn({ err: error }, 'could not list currency packs; the shop shows items only');
  }
  return packs.map((p) => ({
    name: `💳 ${p.name} — ${formatPrice(p.unitAmount, p.currency)} for ${formatAmount(BigInt(p.coins), ctx.currency)}`,
    value: `_(real money, max ${p.perMemberPerDay} a day)_\n\`/buy pack:${p.name}\``,
  }));
}
