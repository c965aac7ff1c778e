export type {
  AttemptRecord,
  DeliveryQuery,
  DeliveryRow,
  DeliveryStatus,
  LoggedAttempt,
  OutboxStore,
  ReplayQuery,
} from '../stores/outbox.js';
export { type AddressPolicy, assertWebhookUrl, refusedAddress } from './address-guard.js';
export { type WebhookRequest, type WebhookResponse, WebhookSender } from './deliver.js';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType, type WebhookPayload } from './events.js';
export { openWebhookOutbox, type WebhookOutbox } from './outbox.js';
export { DELIVERY_TIMEOUT_MS, DISABLE_AFTER_FAILING_MS, RETRY_SCHEDULE_MS } from './schedule.js';
export { newWebhookSecret, signWebhook, webhookHeaders } from './signature.js';
export {
  type EndpointDirectory,
  type WebhookEndpoint,
  WebhookWorker,
  type WebhookWorkerOptions,
} from './worker.js';
