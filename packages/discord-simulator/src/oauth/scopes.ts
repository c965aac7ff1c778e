import { OAuth2Scopes } from 'discord-api-types/v10';

const KNOWN = new Set<string>(Object.values(OAuth2Scopes));

/** What the authorize page tells the user each scope allows (Discord's wording, shortened). */
const DESCRIPTIONS: Partial<Record<string, string>> = {
  [OAuth2Scopes.Identify]: 'Access your username, avatar, and banner',
  [OAuth2Scopes.Email]: 'Access your email address',
  [OAuth2Scopes.Guilds]: 'Know what servers you’re in',
  [OAuth2Scopes.GuildsMembersRead]:
    'Read your member info (nickname, avatar, roles) in servers you belong to',
  [OAuth2Scopes.Connections]: 'Access your third-party connections',
  [OAuth2Scopes.Bot]: 'Add a bot to a server',
  [OAuth2Scopes.ApplicationsCommands]: 'Create commands',
};

/** Scopes whose flows the simulator does not simulate (incoming webhooks). */
export const UNSIMULATED_SCOPES = new Set<string>([OAuth2Scopes.WebhookIncoming]);

/** `'identify  guilds'` → `['identify', 'guilds']` (Discord separates with spaces; `+` arrives decoded). */
export function parseScopes(raw: string | null): string[] {
  return [...new Set((raw ?? '').split(/\s+/).filter(Boolean))];
}

export function unknownScopes(scopes: string[]): string[] {
  return scopes.filter((s) => !KNOWN.has(s));
}

export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? scope;
}
