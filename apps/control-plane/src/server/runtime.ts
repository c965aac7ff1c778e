import 'server-only';
import { createEconomy } from '@guildmint/sdk';
import { openPlatformStore } from './db';
import { DevGuildDirectory, DiscordGuildDirectory, RoutingGuildDirectory } from './discord/guilds';
import { memoryMutationLimiter } from './rate-limit';
import type { Services } from './services';
import { loadSettings, type Settings } from './settings';

interface Runtime {
  settings: Settings;
  services: Services;
}

// One per process; kept on globalThis so `next dev` reloads do not open the databases again.
const holder = globalThis as typeof globalThis & { __guildmintRuntime?: Promise<Runtime> | undefined };

async function start(): Promise<Runtime> {
  const settings = loadSettings();
  const platform = openPlatformStore(settings.platformDatabase);
  const economy = createEconomy({ storage: settings.economyStorage });
  // Migrations are applied at start, before the first request is served.
  await Promise.all([platform.migrate(), economy.migrate()]);
  const guilds = new RoutingGuildDirectory(
    settings.discord ? new DiscordGuildDirectory(platform, settings.discord) : null,
    settings.devLogin ? new DevGuildDirectory(settings.devLogin.guilds) : null,
  );
  return {
    settings,
    services: {
      platform,
      economy,
      guilds,
      limiter: memoryMutationLimiter({ points: 30, perSeconds: 60 }),
      invite: settings.invite,
      now: () => new Date(),
    },
  };
}

export function runtime(): Promise<Runtime> {
  holder.__guildmintRuntime ??= start().catch((error: unknown) => {
    holder.__guildmintRuntime = undefined;
    throw error;
  });
  return holder.__guildmintRuntime;
}
