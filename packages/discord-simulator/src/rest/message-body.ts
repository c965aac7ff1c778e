import { ButtonStyle, ComponentType, MessageFlags } from 'discord-api-types/v10';
import { z } from 'zod';
import { httpErrors, invalidFormBody } from '../errors.js';
import type { SnowflakeGenerator } from '../snowflake.js';
import { formIssues } from '../state/form-issues.js';
import type { MessageContent, StoredAttachment } from '../state/model.js';
import type { RequestBody } from './http.js';

// What Discord accepts as a message (create, edit, interaction reply): its documented limits, so a
// reply that real Discord would refuse with 50035 or 50006 is refused here too.

const embed = z
  .looseObject({
    title: z.string().max(256).optional(),
    description: z.string().max(4096).optional(),
    url: z.string().optional(),
    color: z.number().int().min(0).max(0xffffff).optional(),
    fields: z
      .array(
        z.looseObject({
          name: z.string().min(1).max(256),
          value: z.string().min(1).max(1024),
          inline: z.boolean().optional(),
        }),
      )
      .max(25)
      .optional(),
    footer: z.looseObject({ text: z.string().max(2048) }).optional(),
    author: z.looseObject({ name: z.string().max(256) }).optional(),
  })
  .superRefine((value, ctx) => {
    const total =
      (value.title?.length ?? 0) +
      (value.description?.length ?? 0) +
      (value.footer?.text.length ?? 0) +
      (value.author?.name.length ?? 0) +
      (value.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
    if (total > 6000) {
      ctx.addIssue({
        code: 'custom',
        message: 'Embed size exceeds maximum size of 6000',
        params: { discordCode: 'BASE_TYPE_MAX_LENGTH' },
      });
    }
  });

const component = z.looseObject({ type: z.number().int() });

export const messageBody = z
  .looseObject({
    content: z.string().max(2000).nullish(),
    embeds: z.array(embed).max(10).nullish(),
    components: z.array(component).max(40).nullish(),
    flags: z.number().int().nullish(),
    attachments: z.array(z.looseObject({ id: z.union([z.string(), z.number()]) })).nullish(),
    tts: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    const v2 = ((value.flags ?? 0) & MessageFlags.IsComponentsV2) !== 0;
    if (!v2 && (value.components?.length ?? 0) > 5) {
      ctx.addIssue({
        code: 'too_big',
        maximum: 5,
        origin: 'array',
        inclusive: true,
        path: ['components'],
        message: 'Must be 5 or fewer in length.',
      });
    }
    if (v2 && (value.content || value.embeds?.length)) {
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: 'Components V2 messages cannot have content or embeds',
      });
    }
    checkComponents(value.components ?? [], ctx);
  });

type MessageBody = z.infer<typeof messageBody>;

/**
 * Validates a message body and turns it into stored fields. `create` means a new message (which must not
 * be empty); otherwise it is an edit and only the fields present change.
 */
export function parseMessageBody(
  body: RequestBody,
  options: { create: boolean; ids: SnowflakeGenerator; keep?: StoredAttachment[] },
): MessageContent {
  const parsed = messageBody.safeParse(body.json ?? {});
  if (!parsed.success) throw invalidFormBody(formIssues(parsed.error));
  const data: MessageBody = parsed.data;
  const uploaded: StoredAttachment[] = body.files.map((file) => ({
    id: options.ids.next(),
    filename: file.filename,
    size: file.size,
    contentType: file.contentType,
  }));
  const keptIds = new Set((data.attachments ?? []).map((a) => String(a.id)));
  const kept = (options.keep ?? []).filter((a) => keptIds.has(a.id));
  const content: MessageContent = {
    content: data.content ?? (options.create || data.content === null ? '' : undefined),
    embeds: data.embeds
      ? (data.embeds as Array<Record<string, unknown>>)
      : data.embeds === null
        ? []
        : undefined,
    components: data.components ? data.components : data.components === null ? [] : undefined,
    attachments: uploaded.length > 0 || data.attachments ? [...kept, ...uploaded] : undefined,
    flags: data.flags ?? undefined,
  };
  const empty =
    !content.content &&
    !content.embeds?.length &&
    !content.attachments?.length &&
    !content.components?.length;
  if (options.create && empty) throw httpErrors.emptyMessage();
  return content;
}

/** Action rows of at most 5 buttons (or one select), custom ids present, at most 100 characters and unique. */
function checkComponents(rows: Array<z.infer<typeof component>>, ctx: z.RefinementCtx): void {
  const customIds = new Set<string>();
  const visit = (node: Record<string, unknown>, path: Array<string | number>): void => {
    const type = node.type;
    const children = Array.isArray(node.components)
      ? (node.components as Array<Record<string, unknown>>)
      : [];
    if (type === ComponentType.ActionRow) {
      if (children.length < 1 || children.length > 5) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'components'],
          message: 'Action rows hold 1 to 5 components',
          params: { discordCode: 'BASE_TYPE_BAD_LENGTH' },
        });
      }
      const selects = children.filter((c) => c.type !== ComponentType.Button).length;
      if (selects > 0 && children.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'components'],
          message: 'A select menu needs a row to itself',
          params: { discordCode: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED' },
        });
      }
    }
    if (type === ComponentType.Button) {
      const link = node.style === ButtonStyle.Link || node.style === ButtonStyle.Premium;
      if (typeof node.label === 'string' && node.label.length > 80) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'label'],
          message: 'Must be 80 or fewer in length.',
          params: { discordCode: 'BASE_TYPE_MAX_LENGTH' },
        });
      }
      if (node.style === ButtonStyle.Link && typeof node.url !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'url'],
          message: 'This field is required',
          params: { discordCode: 'BASE_TYPE_REQUIRED' },
        });
      }
      if (!link) checkCustomId(node.custom_id, [...path, 'custom_id']);
    }
    if (
      type === ComponentType.StringSelect ||
      type === ComponentType.UserSelect ||
      type === ComponentType.RoleSelect ||
      type === ComponentType.MentionableSelect ||
      type === ComponentType.ChannelSelect
    ) {
      checkCustomId(node.custom_id, [...path, 'custom_id']);
    }
    for (const [i, child] of children.entries()) visit(child, [...path, 'components', i]);
    if (typeof node.accessory === 'object' && node.accessory !== null) {
      visit(node.accessory as Record<string, unknown>, [...path, 'accessory']);
    }
  };
  const checkCustomId = (value: unknown, path: Array<string | number>): void => {
    if (typeof value !== 'string' || value.length < 1 || value.length > 100) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: 'A custom id of 1 to 100 characters is required',
        params: { discordCode: 'BASE_TYPE_BAD_LENGTH' },
      });
      return;
    }
    if (customIds.has(value)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: 'Component custom id cannot be duplicated',
        params: { discordCode: 'COMPONENT_CUSTOM_ID_DUPLICATED' },
      });
    }
    customIds.add(value);
  };
  for (const [i, row] of rows.entries()) visit(row, ['components', i]);
}
