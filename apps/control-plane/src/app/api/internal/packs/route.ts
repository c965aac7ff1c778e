import { handleInternalPacksRequest } from '../../../../server/billing/packs/internal-route';
import { runtime } from '../../../../server/runtime';

// The bot runtime's door to currency packs: never cached, never pre-rendered.
export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const { services, settings } = await runtime();
  return handleInternalPacksRequest(request, services.packs, settings.internalSecret);
}
