import { TRPCError } from '@trpc/server';
import { createCaller } from '../api/root';
import type { TRPCContext } from '../api/trpc';
import { balancesCsv, csvResponse, historyCsv } from './export';

const EXPORTS = { balances: balancesCsv, history: historyCsv } as const;

/**
 * GET of an export: the owner tier decides (through the same procedure a page would call), then the CSV
 * streams a page of the store at a time. Anything but the owner gets the tier's answer as a status.
 */
export async function handleExport(ctx: TRPCContext, tenantId: string, kind: string): Promise<Response> {
  const lines = EXPORTS[kind as keyof typeof EXPORTS];
  if (!lines) return new Response('no such export', { status: 404 });
  try {
    await createCaller(ctx).imports.exportAccess({ tenantId });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const status = error.code === 'UNAUTHORIZED' ? 401 : error.code === 'BAD_REQUEST' ? 400 : 403;
    return new Response(error.message, { status });
  }
  const day = ctx.services.now().toISOString().slice(0, 10);
  return csvResponse(
    lines(ctx.services.economy.tenant(tenantId)),
    `guildmint-${tenantId}-${kind}-${day}.csv`,
  );
}
