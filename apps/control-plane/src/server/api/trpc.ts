import type { GuildmintError, ErrorCode as GuildmintErrorCode } from '@guildmint/sdk';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { issuesOf } from '../economy/config-input';
import { isGuildmintError } from '../sdk';
import type { Services } from '../services';
import type { AppSession } from '../session';
import { transformer } from './transformer';

/**
 * tRPC set-up: the context, superjson (bigint amounts travel as they are), an error formatter that
 * carries zod's field errors and the SDK's codes, and the base procedure every tier builds on.
 * Each tier lives in server/procedures/; routers never use `t.procedure` directly.
 */

export interface TRPCContext {
  session: AppSession | null;
  services: Services;
}

/** Which tier a procedure belongs to; the router walk in security.test.ts relies on it. */
export interface ProcedureMeta {
  tier: 'public' | 'protected' | 'tenantAdmin' | 'tenantOwner';
}

/** A field-level problem, with its path in the input: the editor shows it next to the field. */
export interface FieldIssue {
  path: string;
  message: string;
}

const t = initTRPC
  .context<TRPCContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      // The SDK's errors are recognised by their brand, not by class: a check by class fails for an
      // error made by another copy of the SDK (see server/sdk.ts).
      const issues: FieldIssue[] | null =
        cause instanceof ZodError
          ? cause.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
          : issuesOf(cause);
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        // Unknown failures are logged on the server (route handler onError), not shown.
        message: internal ? 'Something went wrong on our side; try again.' : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          guildmintCode: isGuildmintError(cause) ? cause.code : null,
          issues,
          fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : null,
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

const TRPC_CODE: Partial<Record<GuildmintErrorCode, TRPCError['code']>> = {
  INVALID_INPUT: 'BAD_REQUEST',
  INVALID_AMOUNT: 'BAD_REQUEST',
  AMOUNT_OVERFLOW: 'BAD_REQUEST',
  INVALID_ACCOUNT: 'BAD_REQUEST',
  INVALID_TRANSFER: 'BAD_REQUEST',
  CONFIG_INVALID: 'BAD_REQUEST',
  TENANT_INVALID: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  INSUFFICIENT_FUNDS: 'CONFLICT',
  ACCOUNT_FROZEN: 'CONFLICT',
  IDEMPOTENCY_CONFLICT: 'CONFLICT',
  ALREADY_REVERSED: 'CONFLICT',
  CONCURRENT_UPDATE: 'CONFLICT',
  LIMIT_REACHED: 'CONFLICT',
  OUT_OF_STOCK: 'CONFLICT',
  BUDGET_EXHAUSTED: 'CONFLICT',
  NOT_ELIGIBLE: 'FORBIDDEN',
  COOLDOWN: 'TOO_MANY_REQUESTS',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
};

/** An SDK error becomes a tRPC error with a fitting HTTP status; its code rides along in `data`. */
export function toTRPCError(error: GuildmintError): TRPCError {
  return new TRPCError({
    code: TRPC_CODE[error.code] ?? 'INTERNAL_SERVER_ERROR',
    message: error.message,
    cause: error,
  });
}

const sdkErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isGuildmintError(result.error.cause)) throw toTRPCError(result.error.cause);
  return result;
});

/** The root of every tier (see server/procedures/). */
export const baseProcedure = t.procedure.use(sdkErrors);
