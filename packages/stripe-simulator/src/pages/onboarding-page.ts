import { type Account, type AccountState, setAccountState } from '../resources/accounts.js';
import type { World } from '../world.js';
import { escapeHtml, layout, type PageAnswer } from './html.js';

const CHOICES: Record<string, AccountState> = {
  complete: 'enabled',
  restricted: 'restricted',
  later: 'pending',
};

/**
 * Connect onboarding behind an account link: single-use (opened again or expired, it sends the browser to
 * `refresh_url`, as Stripe does); the owner completes it, submits it unverified (restricted), or leaves.
 */
export function onboardingPage(
  world: World,
  token: string,
  method: string,
  form: URLSearchParams,
): PageAnswer {
  const link = world.hidden.accountLinks.get(token);
  if (!link)
    return { status: 404, html: layout('Not found', '<h1>Not found</h1><p>No such onboarding link.</p>') };
  const account = world.store.get<Account>('account', link.account, null);
  if (method !== 'POST') {
    if (link.opened || link.finished || world.clock.now() > link.expiresAt)
      return { redirect: link.refreshUrl };
    link.opened = true;
    return {
      status: 200,
      html: layout(
        'Set up payments',
        `<h1>Set up payments</h1><p>Account <code>${escapeHtml(account.id)}</code>${account.email ? ` (${escapeHtml(account.email)})` : ''}: tell Stripe who you are to take payments.</p>
<form method="post"><input type="hidden" name="choice" value="complete"><button type="submit">Complete onboarding</button></form>
<form method="post"><input type="hidden" name="choice" value="restricted"><button type="submit" class="secondary">Submit without identity verification</button></form>
<form method="post"><input type="hidden" name="choice" value="later"><button type="submit" class="secondary">Leave and finish later</button></form>`,
      ),
    };
  }
  const state = CHOICES[form.get('choice') ?? ''];
  if (!state || !link.opened || link.finished) return { redirect: link.refreshUrl };
  link.finished = true;
  // Leaving keeps whatever the account had; the other two are decisions.
  if (state !== 'pending' || !account.details_submitted) setAccountState(world, account, state);
  return { redirect: link.returnUrl };
}
