import { randomUUID } from 'node:crypto';
import type { GuildmintError } from '@guildmint/sdk';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { toTRPCError } from '../api/trpc';
import { issuesOf } from '../economy/config-input';
import { isGuildmintError } from '../sdk';

/** An error the API answers itself (authentication, scopes, limits, routing), with its status and code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** RATE_LIMITED: when the next request is admitted (as the SDK's RATE_LIMITED carries it). */
    readonly retryAt?: Date,
  ) {
    super(message);
  }
}

export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: {
    error: {
      code: string;
      message: string;
      issues?: Array<{ path: string; message: string }>;
      retryAt?: string;
      id?: string;
    };
  };
}

/**
 * Any failure as the API answers it: the SDK's code with the status the tRPC routes give it
 * (server/api/trpc.ts holds that table), zod's problems as INVALID_INPUT with their paths, and anything
 * else as INTERNAL with an id that `log` receives too (the cause is never shown).
 */
export function errorAnswer(error: unknown, log: (id: string, error: unknown) => void): ErrorAnswer {
  if (error instanceof ApiError) {
    const retryAt = error.retryAt && { retryAt: error.retryAt.toISOString() };
    return {
      status: error.status,
      headers: error.headers,
      body: { error: { code: error.code, message: error.message, ...retryAt } },
    };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return {
      status: 400,
      headers: {},
      body: { error: { code: 'INVALID_INPUT', message: 'the request does not match the operation', issues } },
    };
  }
  if (isGuildmintError(error) && error.code !== 'INTERNAL') return sdkAnswer(error);
  // The SDK's INTERNAL errors carry the id its own log line has; anything else gets one here.
  const sdkId = isGuildmintError(error) ? (error as { id?: unknown }).id : undefined;
  const id = typeof sdkId === 'string' ? sdkId : randomUUID();
  log(id, error);
  return {
    status: 500,
    headers: {},
    body: { error: { code: 'INTERNAL', message: 'something went wrong on our side; try again', id } },
  };
}

function sdkAnswer(error: GuildmintError): ErrorAnswer {
  const status = getHTTPStatusCodeFromError(toTRPCError(error));
  const retryAt = (error as { retryAt?: unknown }).retryAt;
  const issues = issuesOf(error);
  const headers: Record<string, string> = {};
  if (retryAt instanceof Date)
    headers['Retry-After'] = String(Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000)));
  return {
    status,
    headers,
    body: {
      error: {
        code: error.code,
        message: error.message,
        ...(issues && { issues: issues.map((i) => ({ path: i.path, message: i.message })) }),
        ...(retryAt instanceof Date && { retryAt: retryAt.toISOString() }),
      },
    },
  };
}
