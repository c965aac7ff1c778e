import { randomBytes } from 'node:crypto';
import { SimulatorError, SimulatorErrorCode } from '../errors.js';
import type { World } from '../state/model.js';

// What Discord's OAuth2 server remembers: registered applications, authorization codes, access and refresh
// tokens, and the simulator's own knobs (the user that authorize picks without asking, users' emails).
// The protocol rules (what is valid, which error) live in authorize.ts, token.ts and user.ts.

/** How long a code may be exchanged (Discord: 10 minutes). */
export const CODE_LIFETIME_MS = 10 * 60_000;
/** `expires_in` of an access token (Discord: 7 days). */
export const ACCESS_TOKEN_LIFETIME_S = 7 * 24 * 3600;

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** Exact matches only, as on Discord. */
  redirectUris: string[];
  /** Shown on the authorize page ("Log in to …"). */
  name: string;
}

export interface CodeGrant {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  /** PKCE S256 challenge, or null when the client sent none. */
  challenge: string | null;
  /** A bot invite's guild (`scope=bot` with `response_type=code`): the token response carries it. */
  guildId?: string | null | undefined;
  expiresAt: number;
  /** Set on the first exchange; a second one is refused and revokes what the first one issued. */
  redeemed: boolean;
  /** Access and refresh tokens issued from this code (directly or by refreshing). */
  issued: Set<string>;
}

export interface TokenGrant {
  /** The access token (or, in `refreshTokens`, the refresh token). */
  token: string;
  clientId: string;
  userId: string;
  scopes: string[];
  /** Epoch ms; refresh tokens never expire here. */
  expiresAt: number;
  /** The code this grant descends from. */
  code: string;
}

export interface IssuedTokens {
  access: TokenGrant;
  refresh: TokenGrant;
}

export class OAuthStore {
  private readonly apps = new Map<string, OAuthApp>();
  private readonly codes = new Map<string, CodeGrant>();
  private readonly accessTokens = new Map<string, TokenGrant>();
  private readonly refreshTokens = new Map<string, TokenGrant>();
  private readonly emails = new Map<string, string | null>();
  private autoUser: string | null = null;

  constructor(
    private readonly world: World,
    private readonly now: () => number,
  ) {}

  registerApp(app: OAuthApp): OAuthApp {
    if (app.redirectUris.length === 0) throw invalid('registerOAuthApp needs at least one redirect URI');
    for (const uri of app.redirectUris) {
      let parsed: URL;
      try {
        parsed = new URL(uri);
      } catch {
        throw invalid(`redirect URI '${uri}' is not an absolute URL`);
      }
      if (parsed.hash) throw invalid(`redirect URI '${uri}' may not have a fragment`);
    }
    const stored = { ...app, redirectUris: [...app.redirectUris] };
    this.apps.set(app.clientId, stored);
    return { ...stored, redirectUris: [...stored.redirectUris] };
  }

  app(clientId: string): OAuthApp | undefined {
    return this.apps.get(clientId);
  }

  get appCount(): number {
    return this.apps.size;
  }

  /** The user authorize logs in without showing the page; null shows the page. */
  setAutoUser(userId: string | null): void {
    if (userId !== null) this.requireHuman(userId);
    this.autoUser = userId;
  }

  get autoUserId(): string | null {
    return this.autoUser;
  }

  setEmail(userId: string, email: string | null): void {
    this.emails.set(userId, email);
  }

  /** The email `/users/@me` shows with the `email` scope: as given to `addUser`, else `<username>@discord-simulator.test`. */
  email(userId: string): string | null {
    if (this.emails.has(userId)) return this.emails.get(userId) ?? null;
    const username = this.world.users.get(userId)?.username ?? userId;
    return `${username.toLowerCase().replace(/[^a-z0-9._-]/g, '_') || userId}@discord-simulator.test`;
  }

  /** Users who may log in: everyone the world knows except bots. */
  humans(): Array<{ id: string; username: string; globalName: string | null }> {
    return [...this.world.users.values()]
      .filter((u) => !u.bot)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
      .map((u) => ({ id: u.id, username: u.username, globalName: u.globalName }));
  }

  requireHuman(userId: string): void {
    const user = this.world.users.get(userId);
    if (!user) throw invalid(`no user ${userId} in the simulator (add one with addUser or addMember)`);
    if (user.bot) throw invalid(`user ${userId} is a bot; bots do not log in with OAuth2`);
  }

  issueCode(grant: Omit<CodeGrant, 'code' | 'expiresAt' | 'redeemed' | 'issued'>): CodeGrant {
    const code: CodeGrant = {
      ...grant,
      code: secret(22),
      expiresAt: this.now() + CODE_LIFETIME_MS,
      redeemed: false,
      issued: new Set(),
    };
    this.codes.set(code.code, code);
    return code;
  }

  code(code: string): CodeGrant | undefined {
    return this.codes.get(code);
  }

  issueTokens(from: CodeGrant, scopes: string[] = from.scopes): IssuedTokens {
    const base = { clientId: from.clientId, userId: from.userId, scopes, code: from.code };
    const access: TokenGrant = {
      ...base,
      token: secret(22),
      expiresAt: this.now() + ACCESS_TOKEN_LIFETIME_S * 1000,
    };
    const refresh: TokenGrant = { ...base, token: secret(22), expiresAt: Number.POSITIVE_INFINITY };
    this.accessTokens.set(access.token, access);
    this.refreshTokens.set(refresh.token, refresh);
    from.issued.add(access.token).add(refresh.token);
    return { access, refresh };
  }

  /** A live access token's grant; undefined when unknown, revoked or expired. */
  access(token: string): TokenGrant | undefined {
    const grant = this.accessTokens.get(token);
    return grant && grant.expiresAt > this.now() ? grant : undefined;
  }

  refresh(token: string): TokenGrant | undefined {
    return this.refreshTokens.get(token);
  }

  /** Revokes one access or refresh token. */
  revoke(token: string): void {
    this.accessTokens.delete(token);
    this.refreshTokens.delete(token);
  }

  /** Revokes every token issued from a code (when the code is replayed, or one of them is revoked). */
  revokeFamily(code: string): void {
    const grant = this.codes.get(code);
    for (const token of grant?.issued ?? []) this.revoke(token);
  }
}

/** Like Discord's tokens: 30 URL-safe characters. */
function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url').slice(0, 30);
}

function invalid(message: string): SimulatorError {
  return new SimulatorError(SimulatorErrorCode.INVALID_ARGUMENT, message);
}
