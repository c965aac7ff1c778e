import { createEconomy } from '@guildmint/sdk';
import { startBot } from './bot.js';

// DISCORD_TOKEN=… pnpm start   (GUILDMINT_STORAGE defaults to a libSQL file next to you)
const token = process.env.DISCORD_TOKEN;
if (!token) throw new Error('set DISCORD_TOKEN to your bot token (Discord developer portal → Bot)');

const economy = createEconomy({ storage: process.env.GUILDMINT_STORAGE ?? 'file:economy.db' });
await economy.migrate();
const client = await startBot({ token, economy });
console.log(`logged in as ${client.user?.tag}: /daily, /pay and /coinflip are ready`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await client.destroy();
    await economy.close();
  });
}
