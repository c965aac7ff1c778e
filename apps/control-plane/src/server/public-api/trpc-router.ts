import type { Tenant } from '@guildmint/sdk';
import type { AnyProcedure } from '@trpc/server';
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { tenantIdSchema } from '../procedures/tenant-admin';
import { ApiError, type ErrorAnswer, errorAnswer } from './errors';
import { actorOf, admit, type GateServices } from './gate';
import { toJson } from './json';
import type { Operation } from './operation';
import { operations } from './operations';

/**
 * API v1 as tRPC, for the SDK's remote client: one procedure per operation (the same names, inputs and
 * handlers as the JSON routes), with `tenantId` and, on keyed ones, `idempotencyKey` in the input. The
 * same gate admits each call (key, tenant, scope, rate limit); answers are JSON without a transformer,
 * so amounts are strings here too. An error's `data.guildmintCode` carries the contract code.
 */

export interface PublicApiContext {
  services: GateServices & { economy: { tenant(id: string): Tenant } };
  authorization: string | null;
  /** The response's headers (the fetch adapter's `resHeaders`): RateLimit-* go here. */
  resHeaders: Headers | null;
  log?: ((id: string, error: unknown) => void) | undefined;
}

const t = initTRPC.context<PublicApiContext>().create({
  errorFormatter({ shape, error }) {
    // Failures inside a procedure carry the JSON route's answer; an input zod refused (or an amount the
    // SDK refused while it was read) is answered here the same way.
    const carried = (error.cause as { apiAnswer?: ErrorAnswer } | undefined)?.apiAnswer;
    const answer =
      carried ?? (error.code === 'BAD_REQUEST' && error.cause ? errorAnswer(error.cause, () => {}) : null);
    return {
      ...shape,
      data: {
        ...shape.data,
        guildmintCode: answer?.body.error.code ?? null,
        error: answer?.body.error ?? null,
      },
    };
  },
});

const TRPC_CODES: Record<number, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
};

/** Any failure as a TRPCError whose cause carries the JSON route's answer (code, message, issues). */
function toTrpc(error: unknown, log: (id: string, error: unknown) => void): TRPCError {
  const answer = errorAnswer(error, log);
  const cause = Object.assign(new Error(answer.body.error.message), { apiAnswer: answer });
  return new TRPCError({
    code: TRPC_CODES[answer.status] ?? 'INTERNAL_SERVER_ERROR',
    message: answer.body.error.message,
    cause,
  });
}

const idempotencyKey = z.string().min(1).max(255).optional();

const logOf = (ctx: PublicApiContext) =>
  ctx.log ?? ((id: string, error: unknown) => console.error(`API v1 INTERNAL ${id}:`, error));

function procedureOf(op: Operation): AnyProcedure {
  const input = op.input.extend({ tenantId: tenantIdSchema, ...(op.keyed && { idempotencyKey }) });
  // The gate runs before the input is validated, as on the JSON routes: a caller without a valid key
  // learns nothing, not even which inputs an operation takes. It reads only `tenantId` from the raw input.
  const gated = t.procedure.use(async ({ ctx, getRawInput, next }) => {
    try {
      const raw = (await getRawInput()) as { tenantId?: unknown } | undefined;
      const tenantId = typeof raw?.tenantId === 'string' ? raw.tenantId : '';
      const admitted = await admit(ctx.services, {
        authorization: ctx.authorization,
        tenantId,
        scope: op.scope,
      });
      for (const [name, value] of Object.entries(admitted.headers)) ctx.resHeaders?.set(name, value);
      return next({ ctx: { actor: actorOf(admitted.key) } });
    } catch (error) {
      if (error instanceof ApiError)
        for (const [n, v] of Object.entries(error.headers)) ctx.resHeaders?.set(n, v);
      throw toTrpc(error, logOf(ctx));
    }
  });
  const resolve = async ({
    ctx,
    input: parsed,
  }: {
    ctx: PublicApiContext & { actor: string };
    input: unknown;
  }) => {
    const {
      tenantId,
      idempotencyKey: key,
      ...fields
    } = parsed as Record<string, unknown> & {
      tenantId: string;
      idempotencyKey?: string;
    };
    try {
      const result = await op.run(fields as never, {
        tenant: ctx.services.economy.tenant(tenantId),
        key,
        actor: ctx.actor,
      });
      // Plain JSON: bigints become strings, dates ISO strings, exactly as over the JSON routes.
      return JSON.parse(toJson(result)) as unknown;
    } catch (error) {
      throw toTrpc(error, logOf(ctx));
    }
  };
  const base = gated.input(input);
  return (op.method === 'GET' ? base.query(resolve) : base.mutation(resolve)) as AnyProcedure;
}

export const publicApiRouter = t.router(
  Object.fromEntries(operations.map((op) => [op.name, procedureOf(op)])),
);

export type PublicApiRouter = typeof publicApiRouter;
