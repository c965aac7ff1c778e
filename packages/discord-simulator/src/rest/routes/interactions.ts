import type { SimContext } from '../../context.js';
import {
  createFollowUp,
  deleteWebhookMessage,
  editWebhookMessage,
  getWebhookMessage,
  interactionCallback,
} from '../../interactions/responses.js';
import type { Router } from '../router.js';

/** Interaction callbacks and the interaction webhook; authenticated by the token in the path, not a header. */
export function interactionRoutes(router: Router, ctx: SimContext): void {
  const open = { auth: false };
  router.add(
    'POST',
    '/interactions/:interactionId/:token/callback',
    ({ params, body, query }) =>
      interactionCallback(
        ctx,
        params.interactionId,
        params.token,
        body,
        query.get('with_response') === 'true',
      ),
    open,
  );
  router.add(
    'POST',
    '/webhooks/:applicationId/:token',
    ({ params, body, query }) =>
      createFollowUp(ctx, params.applicationId, params.token, body, query.get('wait') === 'true'),
    open,
  );
  const message = '/webhooks/:applicationId/:token/messages/:messageId';
  router.add(
    'GET',
    message,
    ({ params }) => getWebhookMessage(ctx, params.applicationId, params.token, params.messageId),
    open,
  );
  router.add(
    'PATCH',
    message,
    ({ params, body }) => editWebhookMessage(ctx, params.applicationId, params.token, params.messageId, body),
    open,
  );
  router.add(
    'DELETE',
    message,
    ({ params }) => deleteWebhookMessage(ctx, params.applicationId, params.token, params.messageId),
    open,
  );
}
