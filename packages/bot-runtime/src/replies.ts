import { type BrandingConfig, renderText, type TextKey, type TextsConfig } from '@guildmint/sdk';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIEmbedField } from 'discord.js';
import type { Friendly } from './errors.js';

/** What a command answers: embeds, optional buttons, and whether only the member sees it. */
export interface Reply {
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  ephemeral?: boolean;
}

export const Colors = {
  success: 0x2ecc71,
  info: 0x5865f2,
  neutral: 0x99aab5,
  loss: 0xe67e22,
  error: 0xe74c3c,
} as const;

export function embed(o: {
  title: string;
  description?: string;
  color?: number;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  footer?: string;
}): APIEmbed {
  const fields: APIEmbedField[] | undefined = o.fields?.slice(0, 25).map((f) => ({
    name: f.name.slice(0, 256),
    value: f.value.slice(0, 1024) || '—',
    ...(f.inline !== undefined && { inline: f.inline }),
  }));
  return {
    title: o.title.slice(0, 256),
    color: o.color ?? Colors.info,
    ...(o.description !== undefined && { description: o.description.slice(0, 4096) }),
    ...(fields && fields.length > 0 && { fields }),
    ...(o.footer !== undefined && { footer: { text: o.footer.slice(0, 2048) } }),
  };
}

/** A reply of one embed. */
export function reply(e: APIEmbed, o: { ephemeral?: boolean } = {}): Reply {
  return { embeds: [e], ...(o.ephemeral && { ephemeral: true }) };
}

/** Errors are always ephemeral: only the member who tried sees them. */
export function errorReply(friendly: Friendly): Reply {
  return {
    embeds: [embed({ title: `⚠️ ${friendly.title}`, description: friendly.message, color: Colors.error })],
    ephemeral: true,
  };
}

/** `<@id>`: a mention Discord renders as the member's name. */
export const mention = (userId: string) => `<@${userId}>`;

/**
 * The owner's wording for a reply (config `texts`), filled in and with crowd pings neutralised; the
 * built-in text when the owner wrote none. `{member}` and `{target}` are the bot's own mentions.
 */
export function customText(
  config: { texts: TextsConfig },
  key: TextKey,
  values: Record<string, string>,
  builtIn: string,
): string {
  const template = config.texts[key];
  return template === undefined ? builtIn : renderText(template, values);
}

/**
 * A command's reply in the guild's own look (config `branding`, a plan feature checked when published):
 * its colour replaces the default one (a win, a loss, an error keep theirs) and its footer goes under
 * every embed without one. Unbranded: the reply as it is.
 */
export function brandReply(r: Reply, branding: BrandingConfig): Reply {
  if (branding.color === null && branding.footer === null) return r;
  const color = branding.color === null ? null : Number.parseInt(branding.color.slice(1), 16);
  const embeds = r.embeds.map((e) => ({
    ...e,
    ...(color !== null && (e.color === undefined || e.color === Colors.info) && { color }),
    ...(branding.footer !== null && e.footer === undefined && { footer: { text: branding.footer } }),
  }));
  return { ...r, embeds };
}
