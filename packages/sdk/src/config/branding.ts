import { z } from 'zod';

/**
 * `branding`: the guild's own colour and footer on the bot's replies instead of Guildmint's. A plan
 * feature (`customBranding`): a publish that sets either is refused with PLAN_LIMIT on a plan without it.
 * Both null by default (Guildmint's look).
 */
export const brandingSchema = z
  .strictObject({
    /** Replaces the replies' default colour (results keep theirs: a win stays green, an error red). */
    color: z
      .string()
      .regex(/^#[0-9A-Fa-f]{6}$/, 'must be a colour such as #1abc9c')
      .nullable()
      .default(null),
    /** Shown under every reply that has no footer of its own. */
    footer: z.string().trim().min(1).max(200).nullable().default(null),
  })
  .prefault({});

export type BrandingConfig = z.output<typeof brandingSchema>;

/** Whether a config's branding sets anything (and so needs a plan that includes it). */
export function usesBranding(branding: BrandingConfig): boolean {
  return branding.color !== null || branding.footer !== null;
}
