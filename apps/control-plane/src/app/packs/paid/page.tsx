import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Payment' };

/**
 * Where Stripe's Checkout sends a member after paying for a currency pack. It credits nothing (only
 * Stripe's webhook does); it tells the member where the coins will show up.
 */
export default async function PackPaidPage({
  searchParams,
}: {
  searchParams: Promise<{ canceled?: string }>;
}) {
  const { canceled } = await searchParams;
  return (
    <main className="mx-auto max-w-lg space-y-3 p-8">
      <h1 className="text-xl font-semibold">{canceled ? 'Payment canceled' : 'Thank you'}</h1>
      <p className="text-sm">
        {canceled
          ? 'Nothing was charged. You can get a new link with /buy in Discord.'
          : 'Your coins are added as soon as Stripe confirms the payment (for a bank debit, that can take a few days). The bot tells you in Discord when they land.'}
      </p>
    </main>
  );
}
