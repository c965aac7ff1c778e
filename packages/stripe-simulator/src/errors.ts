/**
 * An error answered in Stripe's shape (`{ error: { type, code, message, param } }`) with Stripe's status, so
 * the `stripe` SDK raises the matching typed error (StripeInvalidRequestError for 400/404, StripeCardError
 * for 402, StripeIdempotencyError for `idempotency_error`, …).
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type:
      | 'invalid_request_error'
      | 'card_error'
      | 'idempotency_error'
      | 'api_error'
      | 'authentication_error',
    message: string,
    readonly extra: { code?: string; param?: string; decline_code?: string } = {},
  ) {
    super(message);
  }

  body(): { error: Record<string, string> } {
    return { error: { type: this.type, message: this.message, ...this.extra } };
  }
}

export const missingParam = (param: string): StripeApiError =>
  new StripeApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, {
    code: 'parameter_missing',
    param,
  });

export const invalidParam = (param: string, message: string): StripeApiError =>
  new StripeApiError(400, 'invalid_request_error', message, { code: 'parameter_invalid', param });

export const unknownParam = (param: string): StripeApiError =>
  new StripeApiError(400, 'invalid_request_error', `Received unknown parameter: ${param}`, {
    code: 'parameter_unknown',
    param,
  });

export const noSuch = (kind: string, id: string, param = 'id'): StripeApiError =>
  new StripeApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, {
    code: 'resource_missing',
    param,
  });

export const badState = (message: string, param?: string): StripeApiError =>
  new StripeApiError(400, 'invalid_request_error', message, param ? { param } : {});

/** A misuse of the simulator's control API by a test (not a Stripe answer). */
export class SimulatorError extends Error {
  override readonly name = 'StripeSimulatorError';
}
