import { z } from 'zod';

/**
 * The replies an owner may rewrite, and the placeholders each may use. A placeholder is filled by the
 * bot when it answers: `{member}` and `{target}` as mentions, `{amount}` formatted in the currency.
 */
export const TEXT_PLACEHOLDERS = {
  /** `/pay`: a payment sent. */
  pay: ['member', 'target', 'amount'],
  /** A faucet command (`/daily`, `/work`, …): a reward received. */
  claim: ['member', 'amount', 'faucet'],
  /** `/gift`: items given. */
  gift: ['member', 'target', 'item', 'quantity'],
  /** `/trade`: a trade completed. */
  trade: ['member', 'target'],
} as const satisfies Record<string, readonly string[]>;

export type TextKey = keyof typeof TEXT_PLACEHOLDERS;
export const TEXT_KEYS = Object.keys(TEXT_PLACEHOLDERS) as TextKey[];
export const MAX_TEXT_LENGTH = 300;

/** Example values for the editor's preview, one per placeholder. */
const EXAMPLES: Record<string, string> = {
  member: '@alice',
  target: '@bob',
  amount: '🪙 250',
  faucet: 'daily',
  item: 'Gem',
  quantity: '2',
};

const PLACEHOLDER = /\{([^{}]*)\}/g;

function templateSchema(key: TextKey) {
  const allowed: readonly string[] = TEXT_PLACEHOLDERS[key];
  return z
    .string()
    .trim()
    .min(1, 'must not be empty (remove it to use the built-in text)')
    .max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`)
    .superRefine((text, ctx) => {
      for (const [, name] of text.matchAll(PLACEHOLDER)) {
        if (!allowed.includes(name!)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown placeholder {${name}}: this text may use ${allowed.map((p) => `{${p}}`).join(', ')}`,
          });
        }
      }
    });
}

/** `texts`: the owner's own wording for the main replies; a text left out keeps the built-in one. */
export const textsSchema = z
  .strictObject(
    Object.fromEntries(TEXT_KEYS.map((key) => [key, templateSchema(key).optional()])) as {
      [K in TextKey]: z.ZodOptional<ReturnType<typeof templateSchema>>;
    },
  )
  .default({});

export type TextsConfig = z.output<typeof textsSchema>;

/**
 * Neutralises what could ping a crowd: `@everyone`, `@here` and role mentions are broken with a zero-width
 * space, so an owner's text (or an item's name inside it) never notifies anyone but the members named.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<@&(\d+)>/g, '@\u200brole');
}

/**
 * Fills a template's placeholders. The template and every value not listed in `mentions` are neutralised
 * first; the listed values (the bot's own `<@id>` mentions of the members involved) are kept as they are.
 */
export function renderText(
  template: string,
  values: Record<string, string>,
  mentions: readonly string[] = ['member', 'target'],
): string {
  return neutraliseMentions(template).replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name]! : undefined;
    if (value === undefined) return whole;
    return mentions.includes(name) ? value : neutraliseMentions(value);
  });
}

/** Each custom text as it would read with example values: what the editor previews. */
export function previewTexts(texts: TextsConfig): Array<{ key: TextKey; text: string }> {
  return TEXT_KEYS.flatMap((key) => {
    const template = texts[key];
    return template === undefined ? [] : [{ key, text: renderText(template, EXAMPLES, []) }];
  });
}
