/** Dates as people read them, in their own locale and time zone. */
export function formatDateTime(date: Date): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A transfer code as a phrase: `faucet.daily` → "faucet · daily". */
export function formatCode(code: string): string {
  return code.split('.').join(' · ');
}

/** `user:123` → "123"; system accounts stay as they are. */
export function formatAccount(account: string | null): string {
  if (!account) return '—';
  return account.startsWith('user:') ? account.slice(5) : account;
}
