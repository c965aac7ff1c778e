import type { Tenant } from '@guildmint/sdk';
import type { z } from 'zod';
import type { Scope } from '../api-keys/scopes';

/** What an operation gets besides its input. */
export interface OperationContext {
  tenant: Tenant;
  /** The request's Idempotency-Key (keyed operations only): the SDK operation's key. */
  key: string | undefined;
  /** Who acts, for the audit log: `api-key:<prefix>`. */
  actor: string;
}

/**
 * One operation of API v1: the single description from which the JSON route, the OpenAPI document and
 * the tRPC procedure are all made. `input` holds the path parameters and the query (GET) or body (POST)
 * fields as JSON (amounts as strings); `output` describes the JSON answer for the document.
 */
export interface Operation<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  method: 'GET' | 'POST';
  /** Under /api/v1/tenants/{tenantId}; `{name}` segments are path parameters. */
  path: string;
  scope: Scope;
  /** Takes an Idempotency-Key (every write that moves money or changes a member). */
  keyed: boolean;
  summary: string;
  input: Input;
  output: z.ZodType;
  run(input: z.output<Input>, ctx: OperationContext): Promise<unknown>;
}

/** Keeps each operation's input and handler types tied together inside a list of them. */
export const operation = <Input extends z.ZodObject>(o: Operation<Input>): Operation =>
  o as unknown as Operation;
