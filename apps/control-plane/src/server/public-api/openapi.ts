import { z } from 'zod';
import { SCOPES } from '../api-keys/scopes';
import type { Operation } from './operation';
import { operations } from './operations';
import { pathParams, TENANT_BASE } from './routes';
import { errorBody } from './schemas';

/**
 * The OpenAPI 3.1 document of API v1, made from the same operations as the routes (zod 4's JSON Schema
 * output is JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Request schemas are the input side
 * (what a client sends: amounts as strings); responses the output side.
 */

type Json = Record<string, unknown>;

function schemaOf(type: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...schema } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Json;
  return schema;
}

const ERROR_STATUSES: Record<string, string> = {
  '400': 'INVALID_INPUT, INVALID_AMOUNT, INVALID_ACCOUNT, … (the SDK’s input codes)',
  '401': 'UNAUTHORIZED: a missing, malformed, unknown, revoked or expired key',
  '403': 'FORBIDDEN: a key of another tenant or without the scope; NOT_ELIGIBLE',
  '404': 'NOT_FOUND: an unknown faucet, item, game, round or transfer',
  '409': 'IDEMPOTENCY_CONFLICT, INSUFFICIENT_FUNDS, ACCOUNT_FROZEN, OUT_OF_STOCK, …',
  '413': 'PAYLOAD_TOO_LARGE: a body over the limit',
  '429': 'RATE_LIMITED (the key’s limit; Retry-After), or COOLDOWN (a faucet; retryAt)',
  '500': 'INTERNAL: a defect, with an id the server logs carry',
};

const rateHeaders = {
  'RateLimit-Limit': { schema: { type: 'integer' }, description: 'requests per window for this key' },
  'RateLimit-Remaining': { schema: { type: 'integer' }, description: 'requests left in this window' },
  'RateLimit-Reset': { schema: { type: 'integer' }, description: 'seconds until the window resets' },
};

function describe(op: Operation): Json {
  const inPath = pathParams(op);
  const shape = op.input.shape as Record<string, z.ZodType>;
  const fields = Object.keys(shape).filter((name) => !inPath.includes(name));
  const parameters: Json[] = [
    {
      name: 'tenantId',
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    },
    ...inPath.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: schemaOf(shape[name] as z.ZodType, 'input'),
    })),
  ];
  if (op.method === 'GET') {
    for (const name of fields) {
      const field = shape[name] as z.ZodType;
      parameters.push({
        name,
        in: 'query',
        required: !field.safeParse(undefined).success,
        schema: schemaOf(field, 'input'),
      });
    }
  }
  if (op.keyed) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the same key with the same request answers the first result again (replayed: true); with another request, 409 IDEMPOTENCY_CONFLICT.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  const omitted = Object.fromEntries(inPath.map((name) => [name, true as const])) as Record<string, true>;
  const responses: Json = {
    '200': {
      description: 'OK',
      headers: rateHeaders,
      content: { 'application/json': { schema: schemaOf(op.output, 'output') } },
    },
  };
  for (const [status, description] of Object.entries(ERROR_STATUSES))
    responses[status] = {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  return {
    operationId: op.name,
    summary: op.summary,
    tags: [op.path.split('/')[1] ?? 'tenant'],
    security: [{ apiKey: [] }],
    'x-guildmint-scope': op.scope,
    parameters,
    ...(op.method === 'POST' && {
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: schemaOf((op.input as z.ZodObject).omit(omitted as never), 'input') },
        },
      },
    }),
    responses,
  };
}

let cached: Json | undefined;

export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const path = `${TENANT_BASE}${op.path}`;
    paths[path] = { ...paths[path], [op.method.toLowerCase()]: describe(op) };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Guildmint API',
      version: '1.0.0',
      description: `Every operation of a Guildmint economy (one tenant per key). Authenticate with \`Authorization: Bearer <API key>\`; scopes: ${SCOPES.join(', ')} (admin includes write, write includes read). Amounts are strings of decimal digits.`,
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'gm_live_… or gm_test_…' } },
      schemas: { Error: schemaOf(errorBody, 'output') },
    },
    paths,
  };
  return cached;
}
