import 'server-only';
import type { TRPCContext } from './api/trpc';
import { getSession } from './auth';
import { runtime } from './runtime';

/** The tRPC context of one request: the session (validated) and the process's services. */
export async function createContext(): Promise<TRPCContext> {
  const [{ services }, session] = await Promise.all([runtime(), getSession()]);
  return { services, session };
}
