import type { Invoice } from '../resources/billing.js';
import type { World } from '../world.js';
import { date, escapeHtml, layout, money, type PageAnswer } from './html.js';

/** The hosted invoice page (`hosted_invoice_url`). */
export function invoicePage(world: World, id: string): PageAnswer {
  const located = world.store.locate<Invoice>(id, 'invoice');
  if (!located)
    return { status: 404, html: layout('Not found', '<h1>Not found</h1><p>No such invoice.</p>') };
  const invoice = located.obj;
  const currency = invoice.currency as string;
  const lines = invoice.lines.data
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.description)}</td><td class="amount">${escapeHtml(money(l.amount as number, currency))}</td></tr>`,
    )
    .join('');
  return {
    status: 200,
    html: layout(
      `Invoice ${invoice.number as string}`,
      `<h1>Invoice ${escapeHtml(invoice.number)}</h1><p>${escapeHtml(date(invoice.created as number))} · <strong>${escapeHtml(invoice.status)}</strong></p>
<table><tbody>${lines}</tbody><tfoot><tr><th>Amount due</th><th class="amount">${escapeHtml(money(invoice.amount_due, currency))}</th></tr></tfoot></table>`,
    ),
  };
}
