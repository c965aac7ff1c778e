import type { ServerResponse } from 'node:http';
import type { DunningSettings, SubscriptionChange } from '../resources/billing.js';
import type { World } from '../world.js';
import { checkoutPage } from './checkout-page.js';
import type { PageAnswer } from './html.js';
import { invoicePage } from './invoice-page.js';
import { onboardingPage } from './onboarding-page.js';
import { portalPage } from './portal-page.js';
import { receiptPage } from './receipt-page.js';

export interface PageOptions {
  platformName: string;
  dunning: DunningSettings;
  changes: SubscriptionChange[];
  portalLookupKeys: readonly string[] | null;
}

/** The hosted pages by path: Checkout `/c/pay/:id`, portal `/p/session/:id[/action]`, onboarding, invoices, receipts. */
export function routePage(
  world: World,
  method: string,
  url: URL,
  form: URLSearchParams,
  o: PageOptions,
): PageAnswer {
  const [, area, kind, id, action] = url.pathname.split('/');
  if (area === 'c' && kind === 'pay' && id) {
    return checkoutPage(world, id, method, form, { platformName: o.platformName, dunning: o.dunning });
  }
  if (area === 'p' && kind === 'session' && id) {
    return portalPage(world, id, action, method, method === 'POST' ? form : url.searchParams, {
      dunning: o.dunning,
      changes: o.changes,
      lookupKeys: o.portalLookupKeys,
    });
  }
  if (area === 'connect' && kind === 'onboarding' && id) return onboardingPage(world, id, method, form);
  if (area === 'invoices' && kind) return invoicePage(world, kind);
  if (area === 'receipts' && kind) return receiptPage(world, kind);
  return { status: 404, html: 'Not found' };
}

/** Writes a page, or a 303 redirect (what a browser expects after a form post). */
export function sendPage(response: ServerResponse, answer: PageAnswer): void {
  if ('redirect' in answer) {
    response.writeHead(303, { location: answer.redirect });
    response.end();
    return;
  }
  response.writeHead(answer.status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(answer.html);
}
