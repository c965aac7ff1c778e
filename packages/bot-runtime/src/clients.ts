import type { Client, Guild } from 'discord.js';

/**
 * The discord.js clients of this process: one for a fixed shard list, or one per leased shard in a fleet
 * (discord.js fixes a client's shards when it connects, so a shard taken over gets a client of its own).
 */
export class DiscordClients {
  private readonly clients = new Set<Client>();

  add(client: Client): void {
    this.clients.add(client);
  }

  delete(client: Client): void {
    this.clients.delete(client);
  }

  first(): Client | undefined {
    return this.clients.values().next().value;
  }

  list(): Client[] {
    return [...this.clients];
  }

  guild(guildId: string): Guild | undefined {
    for (const client of this.clients) {
      const guild = client.guilds.cache.get(guildId);
      if (guild) return guild;
    }
    return undefined;
  }

  has(guildId: string): boolean {
    return this.guild(guildId) !== undefined;
  }

  guildIds(): string[] {
    return this.list().flatMap((client) => [...client.guilds.cache.keys()]);
  }
}
