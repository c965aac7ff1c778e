/**
 * The Discord API version every call of the control plane names. Without one, Discord answers with its old
 * default version (v6), where e.g. a guild's `permissions` is an integer rather than the string we parse.
 */
export const DISCORD_API_VERSION = 10;

/**
 * `https://discord.com/api` → `https://discord.com/api/v10`: the base every Discord call of the control plane
 * starts from. A base that already names a version is refused, so the version is set here and only here.
 */
export function versionedDiscordApi(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  if (/\/v\d+$/.test(trimmed)) {
    throw new Error(
      `DISCORD_OAUTH_API_URL must not name an API version (the control plane uses v${DISCORD_API_VERSION}): ${base}`,
    );
  }
  return `${trimmed}/v${DISCORD_API_VERSION}`;
}
