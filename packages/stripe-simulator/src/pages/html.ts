/** What a page handler answers: a page, or a redirect (303 after a form post, as browsers expect). */
export type PageAnswer = { status: number; html: string } | { redirect: string };

export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Currencies without minor units (Stripe's zero-decimal list, the ones a guild may plausibly sell in).
const ZERO_DECIMAL = new Set(['jpy', 'krw', 'vnd', 'clp', 'isk', 'pyg', 'ugx', 'xaf', 'xof']);

/** `1999, 'usd'` → `USD 19.99`: integer minor units shown with the currency's exponent, no float on the way. */
export function money(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(currency)) return `${code} ${amount}`;
  const sign = amount < 0 ? '−' : '';
  const abs = Math.abs(amount);
  return `${code} ${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const date = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f6f9fc; color: #1a1f36; margin: 0; }
  main { max-width: 34rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; box-shadow: 0 1px 3px #0002; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
  table { width: 100%; border-collapse: collapse; } td, th { padding: .35rem 0; text-align: left; } td.amount, th.amount { text-align: right; }
  label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
  input[type=text], input[type=email] { width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }
  button { margin-top: 1rem; padding: .6rem 1.2rem; font-size: 1rem; background: #635bff; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  button.secondary { background: #e3e8ee; color: #1a1f36; }
  .error { background: #fde8e8; color: #8a1c1c; padding: .75rem; border-radius: 4px; }
  .notice { background: #e6f4ea; color: #1e5b2e; padding: .75rem; border-radius: 4px; }
  .muted { color: #697386; font-size: .9rem; }
  fieldset { border: 1px solid #e3e8ee; border-radius: 4px; margin-top: 1rem; }
</style>
</head>
<body><main>
<p class="muted">Stripe simulator · test mode · nothing here moves real money</p>
${body}
</main></body>
</html>`;
}
