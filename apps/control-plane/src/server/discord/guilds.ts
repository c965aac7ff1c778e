import { z } from 'zod';
import type { PlatformStore } from '../db';
import { canManageGuild } from './permissions';

/** A guild the signed-in user may manage. */
export interface ManagedGuild {
  id: string;
  name: string;
  /** Discord CDN URL of the icon, or null. */
  icon: string | null;
  owner: boolean;
}

/** Who is asking: the platform user, and how they logged in. */
export interface GuildUser {
  id: string;
  provider: 'discord' | 'dev';
}

/** Where a user's manageable guilds come from. */
export interface GuildDirectory {
  /** The guilds the user may manage; `fresh` skips the short cache (before granting access). */
  managed(user: GuildUser, o?: { fresh?: boolean }): Promise<ManagedGuild[]>;
}

export class DiscordAuthError extends Error {
  override readonly name = 'DiscordAuthError';
}

const partialGuild = z.object({
  id: z.string().regex(/^\d{1,20}$/),
  name: z.string(),
  icon: z.string().nullable().optional(),
  owner: z.boolean().default(false),
  permissions: z.string().default('0'),
});

const tokenResponse = z.object({
  access_token: z.string(),
  refresh_token: z.string().optional(),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

export interface DiscordOAuthSettings {
  /** Discord's API with its version, `…/api/v10` (settings.ts builds it with discord/api.ts). */
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

const CACHE_MS = 60_000;
/** Refresh a little before Discord says the token expires. */
const EXPIRY_MARGIN_S = 60;

/**
 * `/users/@me/guilds` with the user's stored access token (refreshed when it has expired), kept
 * for a minute per user so page loads do not run into Discord's rate limits.
 */
export class DiscordGuildDirectory implements GuildDirectory {
  private readonly cache = new Map<string, { at: number; guilds: ManagedGuild[] }>();

  constructor(
    private readonly store: PlatformStore,
    private readonly settings: DiscordOAuthSettings,
    private readonly fetchFn: typeof fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  async managed(user: GuildUser, o: { fresh?: boolean } = {}): Promise<ManagedGuild[]> {
    const cached = this.cache.get(user.id);
    if (!o.fresh && cached && this.now() - cached.at < CACHE_MS) return cached.guilds;
    const token = await this.accessToken(user.id);
    const response = await this.fetchFn(`${this.settings.apiUrl}/users/@me/guilds`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status === 401)
      throw new DiscordAuthError('Discord no longer accepts the login; log in again');
    if (!response.ok) throw new Error(`Discord answered ${response.status} to /users/@me/guilds`);
    const guilds = z
      .array(partialGuild)
      .parse(await response.json())
      .filter(canManageGuild)
      .map((g) => ({
        id: g.id,
        name: g.name,
        owner: g.owner,
        icon: g.icon ? `https://cdn.discordapp.com/icons/${g.id}/${g.icon}.png?size=64` : null,
      }));
    this.cache.set(user.id, { at: this.now(), guilds });
    return guilds;
  }

  private async accessToken(userId: string): Promise<string> {
    const link = await this.store.oauthLink(userId, 'discord');
    if (!link?.accessToken) throw new DiscordAuthError('no Discord login on record; log in again');
    const expired = link.expiresAt !== null && link.expiresAt - EXPIRY_MARGIN_S <= this.now() / 1000;
    if (!expired) return link.accessToken;
    if (!link.refreshToken) throw new DiscordAuthError('the Discord login has expired; log in again');
    const response = await this.fetchFn(this.settings.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: link.refreshToken,
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
      }),
    });
    if (!response.ok) throw new DiscordAuthError('the Discord login has expired; log in again');
    const tokens = tokenResponse.parse(await response.json());
    await this.store.saveOAuthTokens(
      userId,
      { provider: 'discord', providerAccountId: link.providerAccountId, type: 'oauth' },
      {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token ?? link.refreshToken,
        expiresAt: tokens.expires_in ? Math.floor(this.now() / 1000) + tokens.expires_in : null,
        scope: tokens.scope ?? null,
        tokenType: tokens.token_type ?? null,
      },
    );
    return tokens.access_token;
  }
}

/** The development login's guilds: a fixed list from DEV_LOGIN_GUILDS. */
export class DevGuildDirectory implements GuildDirectory {
  constructor(private readonly guilds: readonly ManagedGuild[]) {}

  async managed(user: GuildUser): Promise<ManagedGuild[]> {
    return user.provider === 'dev' ? [...this.guilds] : [];
  }
}

/** Discord users ask Discord; development users get the fixed list. */
export class RoutingGuildDirectory implements GuildDirectory {
  constructor(
    private readonly discord: GuildDirectory | null,
    private readonly dev: GuildDirectory | null,
  ) {}

  managed(user: GuildUser, o?: { fresh?: boolean }): Promise<ManagedGuild[]> {
    const directory = user.provider === 'dev' ? this.dev : this.discord;
    return directory ? directory.managed(user, o) : Promise.resolve([]);
  }
}

/** Parses DEV_LOGIN_GUILDS: `id:name,id:name`. */
export function parseDevGuilds(spec: string): ManagedGuild[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [id = '', ...name] = part.split(':');
      if (!/^\d{1,20}$/.test(id)) throw new Error(`DEV_LOGIN_GUILDS: "${part}" must look like 123:Name`);
      return { id, name: name.join(':').trim() || `Guild ${id}`, icon: null, owner: true };
    });
}
