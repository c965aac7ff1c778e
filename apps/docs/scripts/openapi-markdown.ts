// Renders an OpenAPI 3.1 document (the one the control plane serves at /api/v1/openapi.json) as Markdown
// pages: an overview, then one page per tag with each operation's parameters, body, answer and errors.
// Pure: a document in, pages out (scripts/reference.ts writes them).
import { slugify } from '../.vitepress/slugify.js';

type Json = Record<string, unknown>;

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  additionalProperties?: boolean | Schema;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  'x-guildmint-scope'?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiPage {
  /** Relative to the reference folder, e.g. `index.md` or `payments.md`. */
  file: string;
  markdown: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** How deep nested objects are spelled out in a field table. */
const MAX_DEPTH = 3;

/** Text for a Markdown table cell on a VitePress page: no HTML, no Vue interpolation, no line breaks. */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\{\{/g, '&#123;&#123;')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

/** A code span for a table cell: literal text (no Markdown inside), `|` escaped for the table. */
function code(text: string): string {
  const ticks = '`'.repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${ticks}${padded.replace(/\|/g, '\\|')}${ticks}`;
}

/** A compact type: `string`, `integer ≥ 1`, `"a" \| "b"`, `array of object`. */
export function typeOf(schema: Schema | undefined): string {
  if (!schema) return 'any';
  if (schema.$ref) return schema.$ref.split('/').pop() ?? 'object';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map(typeOf).join(' | ');
  if (schema.allOf) return schema.allOf.map(typeOf).join(' & ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  if (type === 'array') return `array of ${typeOf(schema.items)}`;
  return type;
}

/** Limits worth knowing: a pattern, bounds, a default. */
function constraints(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const out: string[] = [];
  if (schema.pattern) out.push(`pattern ${code(schema.pattern)}`);
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined && schema.minLength > 0) out.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) out.push(`max length ${schema.maxLength}`);
  if (schema.default !== undefined) out.push(`default ${code(JSON.stringify(schema.default))}`);
  return out;
}

/** A table cell's notes: the description, then the limits (each already escaped). */
function describe(schema: Schema | undefined, fallback?: string): string {
  const text = schema?.description ?? fallback;
  return [...(text ? [cell(text)] : []), ...constraints(schema)].join('; ');
}

/** The object's fields (and its nested objects' fields, dotted), one table row each. */
function fieldRows(schema: Schema | undefined, prefix = '', depth = 0): string[] {
  const target = schema?.type === 'array' ? schema.items : schema;
  if (!target?.properties || depth >= MAX_DEPTH) return [];
  const rows: string[] = [];
  const path = prefix && schema?.type === 'array' ? `${prefix}[]` : prefix;
  for (const [name, field] of Object.entries(target.properties)) {
    const full = path ? `${path}.${name}` : name;
    const required = target.required?.includes(name) ? 'yes' : '';
    rows.push(`| ${code(full)} | ${code(typeOf(field))} | ${required} | ${describe(field)} |`);
    rows.push(...fieldRows(field, full, depth + 1));
  }
  return rows;
}

function fieldTable(schema: Schema | undefined): string {
  const rows = fieldRows(schema);
  if (rows.length === 0) return `${code(typeOf(schema))}\n`;
  return ['| Field | Type | Required | Notes |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}

function jsonSchemaOf(content: Record<string, { schema?: Schema }> | undefined): Schema | undefined {
  return content?.['application/json']?.schema;
}

function operationSection(method: string, path: string, op: Operation): string {
  const lines: string[] = [`## ${op.summary ?? op.operationId}`, ''];
  lines.push('```http', `${method.toUpperCase()} ${path}`, '```', '');
  const facts = [`Operation ${code(op.operationId)}`];
  if (op['x-guildmint-scope']) facts.push(`scope ${code(op['x-guildmint-scope'])}`);
  lines.push(`${facts.join(' · ')}.`, '');
  if (op.description) lines.push(cell(op.description), '');
  const params = op.parameters ?? [];
  if (params.length > 0) {
    lines.push(
      '**Parameters**',
      '',
      '| Name | In | Type | Required | Notes |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const p of params) {
      lines.push(
        `| ${code(p.name)} | ${p.in} | ${code(typeOf(p.schema))} | ${p.required ? 'yes' : ''} | ${describe(p.schema, p.description)} |`,
      );
    }
    lines.push('');
  }
  const body = jsonSchemaOf(op.requestBody?.content);
  if (body) lines.push('**Request body** (JSON)', '', fieldTable(body));
  const responses = op.responses ?? {};
  const ok = Object.entries(responses).filter(([status]) => status.startsWith('2'));
  for (const [status, response] of ok) {
    lines.push(`**Answer ${status}** (JSON)`, '', fieldTable(jsonSchemaOf(response.content)));
  }
  const errors = Object.entries(responses).filter(([status]) => !status.startsWith('2'));
  if (errors.length > 0) {
    lines.push('**Errors** (body: [Error](./index.md#errors))', '', '| Status | When |', '| --- | --- |');
    for (const [status, response] of errors)
      lines.push(`| ${status} | ${cell(response.description ?? '')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

const titleOf = (tag: string) => tag.charAt(0).toUpperCase() + tag.slice(1).replace(/[-_]/g, ' ');

/** The overview page and one page per tag, in the document's order. */
export function openApiPages(document: Json): OpenApiPage[] {
  const info = (document.info ?? {}) as { title?: string; version?: string; description?: string };
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  const byTag = new Map<string, Array<{ method: string; path: string; op: Operation }>>();
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  const errorSchema = (document.components as { schemas?: Record<string, Schema> } | undefined)?.schemas
    ?.Error;
  const index = [
    `# ${cell(info.title ?? 'HTTP API')} reference`,
    '',
    `Version ${cell(info.version ?? '')}, generated from the OpenAPI document the control plane serves at`,
    '`/api/v1/openapi.json` (import that into any OpenAPI tool). The guide is [HTTP API](../../http-api.md).',
    '',
    cell(info.description ?? ''),
    '',
    '## Operations',
    '',
    '| Operation | Method | Path | Scope |',
    '| --- | --- | --- | --- |',
    ...[...byTag].flatMap(([tag, ops]) =>
      ops.map(
        ({ method, path, op }) =>
          `| [${cell(op.summary ?? op.operationId)}](./${tag}.md#${slugify(op.summary ?? op.operationId)}) | ${method.toUpperCase()} | ${code(path)} | ${op['x-guildmint-scope'] ?? ''} |`,
      ),
    ),
    '',
    '## Errors',
    '',
    'Every error answer has this body:',
    '',
    fieldTable(errorSchema),
  ].join('\n');
  const pages: OpenApiPage[] = [{ file: 'index.md', markdown: `${index}\n` }];
  for (const [tag, ops] of byTag) {
    const body = ops.map(({ method, path, op }) => operationSection(method, path, op)).join('\n');
    pages.push({
      file: `${tag}.md`,
      markdown: `# ${titleOf(tag)}\n\n[All operations](./index.md) · generated from the OpenAPI document.\n\n${body}`,
    });
  }
  return pages;
}
