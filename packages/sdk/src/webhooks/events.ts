import { newTransferId } from '../ledger/normalize.js';
import type { OutboxEvent } from '../ledger/records.js';

/** The webhook event types (SDK-CONTRACT.md, "Outbound webhook events"). */
export const WEBHOOK_EVENT_TYPES = [
  'member.paid',
  'faucet.claimed',
  'shop.purchased',
  'game.round.finished',
  'wallet.frozen',
  'wallet.unfrozen',
  'member.rolled_back',
  'anomaly.detected',
  'config.published',
  'pack.purchased',
  'pack.refunded',
  'plan.changed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What an event's `data` may hold: JSON, with money as bigint (sent as a string). */
export type WebhookData = { [key: string]: WebhookValue };
type WebhookValue = string | number | boolean | bigint | null | WebhookValue[] | WebhookData;

/** The body every endpoint receives for one event. */
export interface WebhookPayload {
  type: WebhookEventType;
  /** ISO 8601, when the event happened (its transaction's time as the SDK saw it). */
  timestamp: string;
  tenant: string;
  data: Record<string, unknown>;
}

/**
 * A webhook event for an op's `events` (written to the outbox in the op's transaction): a fresh
 * `msg_…` id (time-ordered, so the outbox drains oldest first) and its body, amounts as strings.
 */
export function webhookEvent(
  tenant: string,
  type: WebhookEventType,
  at: Date,
  data: WebhookData,
): OutboxEvent {
  const payload = JSON.stringify({ type, timestamp: at.toISOString(), tenant, data }, (_key, value) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  return { id: `msg_${newTransferId().replaceAll('-', '')}`, type, payload };
}
