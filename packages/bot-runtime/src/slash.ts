import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import { z } from 'zod';
import type { CurrencyFormat } from './format.js';

// The slash command definitions a guild gets, as Discord's REST API takes them, with Discord's limits
// checked before they are sent (a bad definition makes Discord refuse the whole guild's set).

const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;
const name = z.string().regex(NAME, 'must be 1-32 lowercase letters, digits, - or _');
const description = z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const choice = z.strictObject({
  name: z.string().min(1).max(100),
  value: z.union([z.string().max(100), z.number()]),
});

const valueOption = z.strictObject({
  type: z.union([
    z.literal(ApplicationCommandOptionType.String),
    z.literal(ApplicationCommandOptionType.Integer),
    z.literal(ApplicationCommandOptionType.Number),
    z.literal(ApplicationCommandOptionType.Boolean),
    z.literal(ApplicationCommandOptionType.User),
  ]),
  name,
  description,
  required: z.boolean().optional(),
  choices: z.array(choice).max(25).optional(),
  min_value: z.number().optional(),
  max_value: z.number().optional(),
  min_length: z.number().int().min(0).max(6000).optional(),
  max_length: z.number().int().min(1).max(6000).optional(),
});
export type SlashValueOption = z.output<typeof valueOption>;

/** Required options must come before optional ones, as Discord demands. */
const valueOptions = z
  .array(valueOption)
  .max(25)
  .refine(
    (options) => options.every((o, i) => !o.required || options.slice(0, i).every((p) => p.required)),
    'required options must come before optional ones',
  )
  .refine(
    (options) => new Set(options.map((o) => o.name)).size === options.length,
    'option names must differ',
  );

const subcommand = z.strictObject({
  type: z.literal(ApplicationCommandOptionType.Subcommand),
  name,
  description,
  options: valueOptions.optional(),
});
export type SlashSubcommand = z.output<typeof subcommand>;

export const slashCommandSchema = z.strictObject({
  type: z.literal(ApplicationCommandType.ChatInput).default(ApplicationCommandType.ChatInput),
  name,
  description,
  options: z.union([valueOptions, z.array(subcommand).min(1).max(25)]).optional(),
  /** A permission bitfield as a decimal string: who sees the command by default. */
  default_member_permissions: z.string().regex(/^\d+$/).nullable().optional(),
});
export type SlashCommandData = z.input<typeof slashCommandSchema>;

/** Discord's limits for one guild's whole set. */
export const slashCommandSetSchema = z
  .array(slashCommandSchema)
  .max(100, 'a guild may have at most 100 slash commands')
  .refine((set) => new Set(set.map((c) => c.name)).size === set.length, 'command names must differ');

// --- builders ------------------------------------------------------------------------------------------

const {
  String: STRING,
  Integer: INTEGER,
  Number: NUMBER,
  User: USER,
  Subcommand: SUB,
} = ApplicationCommandOptionType;

export function stringOption(
  optionName: string,
  text: string,
  o: { required?: boolean; choices?: Array<{ name: string; value: string }>; maxLength?: number } = {},
): SlashValueOption {
  return {
    type: STRING,
    name: optionName,
    description: text,
    required: o.required ?? false,
    ...(o.choices && { choices: o.choices.slice(0, 25) }),
    ...(o.maxLength !== undefined && { max_length: o.maxLength }),
  };
}

export function integerOption(
  optionName: string,
  text: string,
  o: { required?: boolean; min?: number; max?: number } = {},
): SlashValueOption {
  return {
    type: INTEGER,
    name: optionName,
    description: text,
    required: o.required ?? false,
    ...(o.min !== undefined && { min_value: o.min }),
    ...(o.max !== undefined && { max_value: o.max }),
  };
}

export function numberOption(
  optionName: string,
  text: string,
  o: { required?: boolean; min?: number; max?: number } = {},
): SlashValueOption {
  return {
    type: NUMBER,
    name: optionName,
    description: text,
    required: o.required ?? false,
    ...(o.min !== undefined && { min_value: o.min }),
    ...(o.max !== undefined && { max_value: o.max }),
  };
}

export function userOption(
  optionName: string,
  text: string,
  o: { required?: boolean } = {},
): SlashValueOption {
  return { type: USER, name: optionName, description: text, required: o.required ?? false };
}

/**
 * An amount of money: a whole number (INTEGER, with Discord checking the bounds) when the currency has
 * no decimals, text such as "12.50" otherwise, because Discord's NUMBER is a float and money never is.
 */
export function amountOption(
  optionName: string,
  text: string,
  currency: CurrencyFormat,
  o: { required?: boolean; min?: number; max?: number } = {},
): SlashValueOption {
  if (currency.decimals === 0) return integerOption(optionName, text, { min: 1, ...o });
  return stringOption(optionName, `${text} (e.g. 12.${'5'.padEnd(currency.decimals, '0')})`.slice(0, 100), {
    required: o.required ?? false,
    maxLength: 24,
  });
}

export function subcommandOption(
  optionName: string,
  text: string,
  options: SlashValueOption[] = [],
): SlashSubcommand {
  return { type: SUB, name: optionName, description: text, ...(options.length > 0 && { options }) };
}

/**
 * A shop-item option (required unless said): Discord's client offers the items as choices when there are
 * at most 25; a bigger shop takes the item id as free text (the SDK checks it).
 */
export function itemOption(
  text: string,
  items: Array<[id: string, item: { name: string }]>,
  o: { required?: boolean } = {},
): SlashValueOption {
  const choices =
    items.length <= 25
      ? items.map(([id, item]) => ({ name: item.name.slice(0, 100), value: id }))
      : undefined;
  return stringOption('item', text, { required: o.required ?? true, ...(choices && { choices }) });
}

/** Discord caps descriptions at 100 characters; configs allow longer ones. */
export function clip(text: string, max = 100): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
