/**
 * Stripe's test cards the simulator knows, by what they do. Any other number is refused as Stripe's test
 * mode refuses real cards.
 */
export const testCards = {
  /** Succeeds, every time. */
  success: '4242424242424242',
  /** Declined at once (`card_declined`, `generic_decline`). */
  declined: '4000000000000002',
  /** Declined at once (`card_declined`, `insufficient_funds`). */
  insufficientFunds: '4000000000009995',
  /** Attaches (a trial or a card update works), but every charge on it fails: renewals go past_due. */
  chargeFails: '4000000000000341',
} as const;

export type ChargeOutcome =
  | { ok: true }
  | {
      ok: false;
      declineCode: 'generic_decline' | 'insufficient_funds' | 'card_not_supported';
      message: string;
    };

const DECLINED = 'Your card was declined.';

/** Normalizes what a person types ("4242 4242 4242 4242") to digits. */
export const cardDigits = (input: string): string => input.replace(/[\s-]/g, '');

/** What charging this card does. */
export function chargeOutcome(card: string): ChargeOutcome {
  switch (cardDigits(card)) {
    case testCards.success:
      return { ok: true };
    case testCards.insufficientFunds:
      return { ok: false, declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' };
    case testCards.declined:
    case testCards.chargeFails:
      return { ok: false, declineCode: 'generic_decline', message: DECLINED };
    default:
      return {
        ok: false,
        declineCode: 'card_not_supported',
        message: `${DECLINED} Your request was in test mode, but used a non test card. Use a test card such as 4242 4242 4242 4242.`,
      };
  }
}

/** Whether the card can be saved for later charges (only the immediately declined ones cannot). */
export function canAttach(card: string): boolean {
  const digits = cardDigits(card);
  return digits === testCards.success || digits === testCards.chargeFails;
}
