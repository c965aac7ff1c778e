import { invalidInput } from '../errors.js';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookData,
  type WebhookEventType,
  webhookEvent,
} from '../webhooks/events.js';
import type { OutboxEvent } from './records.js';

/**
 * A webhook event asked for beside a ledger call (`ledger.transfer(t, { event })`,
 * `ledger.reverse(id, { event })`): written to the outbox in the same transaction as the money, and
 * only once (a replay or a refused call writes none).
 */
export interface EventNote {
  /** One of `WEBHOOK_EVENT_TYPES`, such as `pack.purchased`. */
  type: WebhookEventType;
  /** The event's `data`: plain JSON, money as bigint (sent as a string). */
  data: WebhookData;
}

/** The largest `data` an event may carry, serialized. */
const MAX_DATA_BYTES = 8192;

/** The outbox event for a note (INVALID_INPUT for a bad one), stamped `now`. */
export function eventOf(tenant: string, note: EventNote, now: Date): OutboxEvent {
  if (typeof note !== 'object' || note === null) throw invalidInput('event', 'must be an object');
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(note.type))
    throw invalidInput('event.type', `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  if (typeof note.data !== 'object' || note.data === null || Array.isArray(note.data))
    throw invalidInput('event.data', 'must be a plain object');
  let event: OutboxEvent;
  try {
    event = webhookEvent(tenant, note.type, now, note.data);
  } catch {
    throw invalidInput('event.data', 'must be plain JSON (no cycles)');
  }
  if (Buffer.byteLength(event.payload) > MAX_DATA_BYTES)
    throw invalidInput('event.data', `must serialize to at most ${MAX_DATA_BYTES} bytes`);
  return event;
}
