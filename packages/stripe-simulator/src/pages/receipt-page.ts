import type { Charge } from '../resources/payments.js';
import type { World } from '../world.js';
import { date, escapeHtml, layout, money, type PageAnswer } from './html.js';

/** A charge's receipt (`receipt_url`): what was paid, when, and what was refunded since. */
export function receiptPage(world: World, chargeId: string): PageAnswer {
  const located = world.store.locate<Charge>(chargeId, 'charge');
  if (!located)
    return { status: 404, html: layout('Not found', '<h1>Not found</h1><p>No such receipt.</p>') };
  const charge = located.obj;
  const refunded = charge.amount_refunded
    ? `<p data-testid="refunded">Refunded ${escapeHtml(money(charge.amount_refunded, charge.currency))}</p>`
    : '';
  return {
    status: 200,
    html: layout(
      'Receipt',
      `<h1>Receipt</h1><p>${escapeHtml(date(charge.created as number))} · ${escapeHtml(charge.description ?? charge.payment_intent)}</p>
<p data-testid="amount">Paid ${escapeHtml(money(charge.amount, charge.currency))}</p>${refunded}`,
    ),
  };
}
