import type { RouteResult } from '../rest/router.js';

/** An RFC 6749 error, as Discord's OAuth2 endpoints answer them: `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
    this.name = `OAuthError[${error}]`;
  }

  toResult(): RouteResult {
    return {
      status: this.status,
      body: { error: this.error, error_description: this.description },
      headers: { ...NO_STORE, ...this.headers },
    };
  }
}

/** Token responses must not be cached (RFC 6749 §5.1). */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export const oauthErrors = {
  invalidRequest: (description: string) => new OAuthError(400, 'invalid_request', description),
  invalidClient: (description: string, basic: boolean) =>
    new OAuthError(401, 'invalid_client', description, basic ? { 'www-authenticate': 'Basic' } : {}),
  invalidGrant: (description: string) => new OAuthError(400, 'invalid_grant', description),
  invalidScope: (description: string) => new OAuthError(400, 'invalid_scope', description),
  unsupportedGrantType: (grantType: string) =>
    new OAuthError(400, 'unsupported_grant_type', `grant_type '${grantType}' is not supported`),
};
