import type { Billing } from './billing';

/**
 * `POST /api/webhooks/stripe` as a fetch handler: the raw bytes go to the signature check untouched
 * (never parsed and re-serialized, which would change them). 400: Stripe did not sign this; 500: a
 * failure on our side, so Stripe delivers it again; 503: billing is not configured here.
 */
export async function handleStripeWebhookRequest(
  request: Request,
  billing: Billing | null,
): Promise<Response> {
  if (!billing) return Response.json({ error: 'billing is not configured' }, { status: 503 });
  const body = Buffer.from(await request.arrayBuffer());
  try {
    const outcome = await billing.handleWebhook(body, request.headers.get('stripe-signature'));
    return Response.json({ message: outcome.message }, { status: outcome.status });
  } catch (error) {
    console.error('Stripe webhook failed; Stripe will deliver it again', error);
    return Response.json({ error: 'webhook failed' }, { status: 500 });
  }
}
