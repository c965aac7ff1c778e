import { describe, expect, it } from 'vitest';
import { slugify } from '../.vitepress/slugify.js';
import { cell, openApiPages, typeOf } from '../scripts/openapi-markdown.js';

// The HTTP reference's renderer on a small document: pages per tag, fields, and text that must not turn into
// Markdown, HTML or Vue on the way (a regex with `|`, a description with `<…>`).

const document = {
  openapi: '3.1.0',
  info: { title: 'Test API', version: '1.2.3', description: 'Use `Authorization: Bearer <key>`.' },
  components: {
    schemas: { Error: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] } },
  },
  paths: {
    '/api/v1/tenants/{tenantId}/payments': {
      post: {
        operationId: 'pay',
        summary: 'One member pays another',
        tags: ['payments'],
        'x-guildmint-scope': 'write',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
          },
        ],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['amount'],
                properties: {
                  amount: {
                    type: 'string',
                    pattern: '^(0|[1-9][0-9]*)$',
                    description: 'coins <minor units>',
                  },
                  lines: {
                    type: 'array',
                    items: { type: 'object', properties: { memo: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'OK',
            content: {
              'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } },
            },
          },
          '409': { description: 'IDEMPOTENCY_CONFLICT | INSUFFICIENT_FUNDS' },
        },
      },
    },
    '/api/v1/tenants/{tenantId}/stats': {
      get: { operationId: 'stats', summary: 'Stats', tags: ['stats'], responses: {} },
    },
  },
};

describe('OpenAPI → Markdown', () => {
  const pages = openApiPages(document);
  const page = (file: string) => pages.find((p) => p.file === file)?.markdown ?? '';

  it('writes an overview and one page per tag, linking each operation to its section', () => {
    expect(pages.map((p) => p.file)).toEqual(['index.md', 'payments.md', 'stats.md']);
    expect(page('index.md')).toContain(`](./payments.md#${slugify('One member pays another')})`);
    expect(page('index.md')).toContain('`/api/v1/tenants/{tenantId}/payments`');
    expect(page('payments.md')).toContain('## One member pays another');
    expect(page('payments.md')).toContain('POST /api/v1/tenants/{tenantId}/payments');
  });

  it('lists fields, nested ones dotted, with their limits', () => {
    const md = page('payments.md');
    expect(md).toContain(
      '| `amount` | `string` | yes | coins &lt;minor units&gt;; pattern `^(0\\|[1-9][0-9]*)$` |',
    );
    expect(md).toContain('| `lines[].memo` | `string` |');
    expect(md).toContain('| `Idempotency-Key` | header | `string` |  | max length 255 |');
    expect(md).toContain('| 409 | IDEMPOTENCY_CONFLICT \\| INSUFFICIENT_FUNDS |');
  });

  it('keeps table cells literal', () => {
    expect(cell('a | b\n<c> {{ d }}')).toBe('a \\| b &lt;c&gt; &#123;&#123; d }}');
    expect(typeOf({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toBe('string | null');
    expect(typeOf({ enum: ['heads', 'tails'] })).toBe('"heads" | "tails"');
    expect(typeOf({ type: 'array', items: { $ref: '#/components/schemas/Error' } })).toBe('array of Error');
  });
});
