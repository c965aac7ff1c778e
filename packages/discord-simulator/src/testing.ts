import { once } from 'node:events';
import { Client, type ClientOptions, GatewayIntentBits } from 'discord.js';
import type { DiscordSimulator } from './simulator.js';

// Test helper (not exported from the barrel): a real, unmodified discord.js client logged in to a simulator.

export interface ConnectedClient {
  client: Client;
  /** Everything the client reported through `error` / `shardError`; tests assert it stays empty. */
  errors: Error[];
}

export async function connectClient(
  simulator: DiscordSimulator,
  options: Partial<Pick<ClientOptions, 'shards' | 'shardCount' | 'intents' | 'ws'>> = {},
): Promise<ConnectedClient> {
  const client = new Client({
    intents: options.intents ?? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
    rest: { api: simulator.apiUrl },
    ...(options.shards === undefined ? {} : { shards: options.shards }),
    ...(options.shardCount === undefined ? {} : { shardCount: options.shardCount }),
    ...(options.ws === undefined ? {} : { ws: options.ws }),
  });
  const errors: Error[] = [];
  client.on('error', (error) => errors.push(error));
  client.on('shardError', (error) => errors.push(error));
  const ready = once(client, 'clientReady');
  await client.login(simulator.botToken);
  await ready;
  return { client, errors };
}
