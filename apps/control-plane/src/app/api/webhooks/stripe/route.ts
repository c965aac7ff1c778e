import { handleStripeWebhookRequest } from '../../../../server/billing/webhook-route';
import { runtime } from '../../../../server/runtime';

// Read the body as bytes on every request: never cached, never pre-rendered.
export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const { services } = await runtime();
  return handleStripeWebhookRequest(request, services.billing);
}
