import { DiscordSimulator } from '@guildmint/discord-simulator';
import { defineEconomy, presets } from '@guildmint/sdk';
import { pino } from 'pino';
import { createRuntime } from '../src/runtime.js';

/** What one message costs on the real gateway path, split between the simulator and the bot. */
export interface GatewayCost {
  messages: number;
  messagesPerSecond: number;
  /** CPU of the whole process (simulator and bot) per message. */
  totalCpuUsPerMessage: number;
  /** CPU inside the simulator's send calls (build the message, serialize, write to the socket) per message. */
  simulatorCpuUsPerMessage: number;
  /** The rest: the bot reading the socket, discord.js parsing, the packet guard, the activity handler. */
  botCpuUsPerMessage: number;
}

const cpuUs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return d.user + d.system;
};

/**
 * MESSAGE_CREATE through the real path: the simulator sends it over its gateway WebSocket, the runtime's
 * discord.js client reads it, the packet guard hands it to the activity handler. Every member has already
 * chatted (all in their window: the hot path). Simulator and bot share this process, so the simulator's part
 * is measured around its synchronous send calls and the bot's is the rest.
 */
export async function gatewayCost(o: { members: number; messages: number }): Promise<GatewayCost> {
  const sim = await DiscordSimulator.start();
  const guild = sim.addGuild({ name: 'bench' });
  const members = Array.from(
    { length: o.members },
    (_, i) => sim.addMember(guild.id, { username: `m${i}` }).userId,
  );
  const runtime = createRuntime({
    token: sim.botToken,
    applicationId: sim.applicationId,
    apiUrl: sim.apiUrl,
    storage: ':memory:',
    logger: pino({ level: 'silent' }),
  });
  try {
    await runtime.start();
    await runtime.economy
      .tenant(guild.id)
      .configure(
        defineEconomy({ ...presets.classic, levels: { enabled: true, message: { windowSeconds: 3_600 } } }),
      );
    let handled = 0;
    runtime.events.on('activity', () => {
      handled++;
    });
    const handledAll = async (n: number) => {
      while (handled < n) await new Promise((resolve) => setImmediate(resolve));
    };
    // Warm-up: each member's first message is rewarded (a store write) and opens their window.
    for (const userId of members) sim.memberMessage(guild.id, userId);
    await handledAll(members.length);
    handled = 0;
    let simUs = 0;
    const started = process.cpuUsage();
    const t0 = performance.now();
    for (let sent = 0; sent < o.messages; ) {
      const slice = process.cpuUsage();
      for (let i = 0; i < 200 && sent < o.messages; i++, sent++)
        sim.memberMessage(guild.id, members[sent % members.length]!);
      simUs += cpuUs(slice);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await handledAll(o.messages);
    const totalUs = cpuUs(started);
    return {
      messages: o.messages,
      messagesPerSecond: o.messages / ((performance.now() - t0) / 1000),
      totalCpuUsPerMessage: totalUs / o.messages,
      simulatorCpuUsPerMessage: simUs / o.messages,
      botCpuUsPerMessage: (totalUs - simUs) / o.messages,
    };
  } finally {
    await runtime.stop();
    await sim.close();
  }
}
