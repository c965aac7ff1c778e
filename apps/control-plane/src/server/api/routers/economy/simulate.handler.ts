import { TRPCError } from '@trpc/server';
import { SimulationRefused } from '../../../economy/simulation';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { SimulateInput } from './simulate.schema';

/** Thirty simulated days of the draft, for the editor's chart (nothing touches the real economy). */
export async function simulateHandler({
  ctx,
  input,
  signal,
}: HandlerArgs<TenantAdminContext, SimulateInput>) {
  try {
    return {
      members: input.members,
      days: await ctx.services.simulations.run(input.config, input.members, signal),
    };
  } catch (error) {
    if (!(error instanceof SimulationRefused)) throw error;
    throw new TRPCError({
      code: error.reason === 'busy' ? 'TOO_MANY_REQUESTS' : 'TIMEOUT',
      message: error.message,
    });
  }
}
