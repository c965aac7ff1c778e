import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../../test/support/api-server';
import { createHarness, type Harness } from '../../../test/support/harness';
import { operations } from './operations';

/** The document a stock OpenAPI tool reads: served without a key, valid OpenAPI 3.1, every operation in it. */
describe('OpenAPI document of API v1', () => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof startApiServer>>;
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    h = await createHarness('libsql');
    server = await startApiServer(h.services);
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    doc = await response.json();
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('validates with @apidevtools/swagger-parser as OpenAPI 3.1', async () => {
    const api = (await SwaggerParser.validate(structuredClone(doc) as never)) as { openapi: string };
    expect(api.openapi).toBe('3.1.0');
  });

  it('lists every operation once, with its scope, and an Idempotency-Key on every keyed write', async () => {
    const api = (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as {
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            'x-guildmint-scope': string;
            parameters: Array<{ name: string; in: string }>;
          }
        >
      >;
    };
    const found = Object.values(api.paths).flatMap((methods) => Object.values(methods));
    expect(found.map((o) => o.operationId).sort()).toEqual(operations.map((o) => o.name).sort());
    for (const op of operations) {
      const described = found.find((o) => o.operationId === op.name);
      expect([op.name, described?.['x-guildmint-scope']]).toEqual([op.name, op.scope]);
      const idempotency = described?.parameters.some(
        (p) => p.name === 'Idempotency-Key' && p.in === 'header',
      );
      expect([op.name, idempotency]).toEqual([op.name, op.keyed]);
    }
  });

  it('describes amounts as strings of digits in requests and answers', () => {
    const pay = (doc.paths as Record<string, Record<string, unknown>>)['/api/v1/tenants/{tenantId}/payments']
      ?.post as {
      requestBody: {
        content: {
          'application/json': { schema: { properties: Record<string, { type: string; pattern?: string }> } };
        };
      };
      responses: Record<
        string,
        { content: { 'application/json': { schema: { properties: Record<string, { type: string }> } } } }
      >;
    };
    const body = pay.requestBody.content['application/json'].schema.properties;
    expect(body.amount).toMatchObject({ type: 'string', pattern: '^[0-9]{1,20}$' });
    expect(pay.responses['200']?.content['application/json'].schema.properties.amount?.type).toBe('string');
  });
});
