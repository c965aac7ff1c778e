import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { z } from 'zod';

// Discord's rules for registering application commands: what `PUT …/commands` accepts. A bot that
// registers something Discord would refuse gets the same 50035 "Invalid Form Body" here.

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const Option = ApplicationCommandOptionType;

const name = z.string().regex(NAME, 'Command name is invalid');
const localizations = z.record(z.string(), z.string()).nullish();

const choice = z.object({
  name: z.string().min(1).max(100),
  name_localizations: localizations,
  value: z.union([z.string().max(100), z.number()]),
});

export interface CommandOptionInput {
  type: number;
  name: string;
  description: string;
  required?: boolean | undefined;
  choices?: Array<z.infer<typeof choice>> | undefined;
  options?: CommandOptionInput[] | undefined;
  channel_types?: number[] | undefined;
  min_value?: number | undefined;
  max_value?: number | undefined;
  min_length?: number | undefined;
  max_length?: number | undefined;
  autocomplete?: boolean | undefined;
  name_localizations?: Record<string, string> | null | undefined;
  description_localizations?: Record<string, string> | null | undefined;
}

const option: z.ZodType<CommandOptionInput> = z.lazy(() =>
  z
    .object({
      type: z.number().int().min(Option.Subcommand).max(Option.Attachment),
      name,
      name_localizations: localizations,
      description: z.string().min(1).max(100),
      description_localizations: localizations,
      required: z.boolean().optional(),
      choices: z.array(choice).max(25).optional(),
      options: z.array(option).max(25).optional(),
      channel_types: z.array(z.number().int()).optional(),
      min_value: z.number().optional(),
      max_value: z.number().optional(),
      min_length: z.number().int().min(0).max(6000).optional(),
      max_length: z.number().int().min(1).max(6000).optional(),
      autocomplete: z.boolean().optional(),
    })
    .superRefine((value, ctx) => {
      lowercase(value.name, ctx);
      const nested = value.type === Option.Subcommand || value.type === Option.SubcommandGroup;
      if (nested && value.required !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['required'], message: 'Subcommands cannot be required' });
      }
      if (!nested && value.options) {
        ctx.addIssue({
          code: 'custom',
          path: ['options'],
          message: 'Only subcommands and groups take options',
        });
      }
      if (value.type === Option.SubcommandGroup) {
        value.options?.forEach((sub, i) => {
          if (sub.type !== Option.Subcommand) {
            ctx.addIssue({
              code: 'custom',
              path: ['options', i, 'type'],
              message: 'Groups may only hold subcommands',
            });
          }
        });
      }
      if (value.type === Option.Subcommand) levelRules(value.options ?? [], ctx, false);
      const choosable =
        value.type === Option.String || value.type === Option.Integer || value.type === Option.Number;
      if (value.choices && !choosable) {
        ctx.addIssue({
          code: 'custom',
          path: ['choices'],
          message: 'Only string, integer and number options have choices',
        });
      }
      if (value.choices && value.autocomplete) {
        ctx.addIssue({
          code: 'custom',
          path: ['autocomplete'],
          message: 'Autocomplete and choices exclude each other',
        });
      }
      value.choices?.forEach((c, i) => {
        const ok =
          value.type === Option.String
            ? typeof c.value === 'string'
            : value.type === Option.Integer
              ? Number.isInteger(c.value)
              : typeof c.value === 'number';
        if (!ok)
          ctx.addIssue({
            code: 'custom',
            path: ['choices', i, 'value'],
            message: 'Choice value has the wrong type',
          });
      });
    }),
);

export const commandBody = z
  .object({
    type: z
      .number()
      .int()
      .min(ApplicationCommandType.ChatInput)
      .max(ApplicationCommandType.PrimaryEntryPoint)
      .optional(),
    // Context-menu names may hold spaces and capitals; chat-input names are checked below.
    name: z.string().min(1).max(32),
    name_localizations: localizations,
    description: z.string().max(100).optional(),
    description_localizations: localizations,
    options: z.array(option).max(25).optional(),
    default_member_permissions: z.string().regex(/^\d+$/).nullish(),
    dm_permission: z.boolean().nullish(),
    default_permission: z.boolean().nullish(),
    nsfw: z.boolean().optional(),
    integration_types: z.array(z.number().int()).optional(),
    contexts: z.array(z.number().int()).nullish(),
  })
  .superRefine((value, ctx) => {
    const chatInput = (value.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput;
    if (chatInput) {
      if (!NAME.test(value.name))
        ctx.addIssue({
          code: 'custom',
          path: ['name'],
          message: 'Command name is invalid',
          params: { discordCode: 'APPLICATION_COMMAND_INVALID_NAME' },
        });
      lowercase(value.name, ctx);
      if (!value.description) {
        ctx.addIssue({
          code: 'custom',
          path: ['description'],
          message: 'This field is required',
          params: { discordCode: 'BASE_TYPE_REQUIRED' },
        });
      }
      levelRules(value.options ?? [], ctx, true);
    } else if (value.description || value.options) {
      ctx.addIssue({
        code: 'custom',
        path: ['description'],
        message: 'Context menu commands have no description or options',
      });
    }
  });

export type CommandBody = z.infer<typeof commandBody>;

// 100 chat-input commands (checked apart, with Discord's own error) and 15 of each context-menu kind.
export const commandList = z.array(commandBody).max(130);

/** Rules for the options on one level: unique names, required first, no mixing subcommands with values. */
function levelRules(options: CommandOptionInput[], ctx: z.RefinementCtx, topLevel: boolean): void {
  const seen = new Set<string>();
  let optionalSeen = false;
  const nested = options.filter(
    (o) => o.type === Option.Subcommand || o.type === Option.SubcommandGroup,
  ).length;
  if (nested > 0 && nested < options.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['options'],
      message: 'Subcommands cannot be mixed with other options',
    });
  }
  if (!topLevel && nested > 0) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: 'Subcommands cannot nest here' });
  }
  options.forEach((o, i) => {
    if (seen.has(o.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['options', i, 'name'],
        message: 'Option names must be unique',
        params: { discordCode: 'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS' },
      });
    }
    seen.add(o.name);
    if (o.required && optionalSeen) {
      ctx.addIssue({
        code: 'custom',
        path: ['options', i, 'required'],
        message: 'Required options must be placed before non-required options',
        params: { discordCode: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID' },
      });
    }
    if (!o.required) optionalSeen = true;
  });
}

function lowercase(value: string, ctx: z.RefinementCtx): void {
  if (value !== value.toLowerCase()) {
    ctx.addIssue({
      code: 'custom',
      path: ['name'],
      message: 'Command name is invalid',
      params: { discordCode: 'APPLICATION_COMMAND_INVALID_NAME' },
    });
  }
}
