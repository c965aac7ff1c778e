import { simulateMonth } from '../../../economy/simulation';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { SimulateInput } from './simulate.schema';

/** Thirty simulated days of the draft, for the editor's chart (nothing touches the real economy). */
export async function simulateHandler({ input }: HandlerArgs<TenantAdminContext, SimulateInput>) {
  return { members: input.members, days: await simulateMonth(input.config, input.members) };
}
