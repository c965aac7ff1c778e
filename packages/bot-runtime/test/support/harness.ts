import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordSimulator, type SimReply } from '@guildmint/discord-simulator';
import { PermissionFlagsBits } from 'discord.js';
import { pino } from 'pino';
import { createRuntime, type Runtime, type RuntimeEvents, type RuntimeOptions } from '../../src/runtime.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger whose JSON lines land in `lines`, for assertions on what was logged. */
export function captureLogs(): { lines: LogLine[]; logger: pino.Logger } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  );
  return { lines, logger };
}

/** A fresh directory for a libSQL file, removed by `cleanup`. */
export function tempStorage(): { url: string; path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-bot-'));
  const path = join(dir, 'economy.db');
  return { url: `file:${path}`, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The end-to-end rig: a Discord simulator with one guild (a member and an admin), and the runtime's real
 * discord.js client connected to it, on an embedded libSQL file of its own.
 */
export async function startRig(
  o: { runtime?: Partial<RuntimeOptions>; storage?: string; simulator?: DiscordSimulator } = {},
) {
  const sim = o.simulator ?? (await DiscordSimulator.start());
  const guild = sim.addGuild({ name: 'Guild A' });
  const alice = sim.addMember(guild.id, { username: 'alice' });
  const bob = sim.addMember(guild.id, { username: 'bob' });
  const admin = sim.addMember(
    guild.id,
    { username: 'admin' },
    { permissions: PermissionFlagsBits.ManageGuild },
  );
  const storage = o.storage ? undefined : tempStorage();
  const logs = captureLogs();
  const options: RuntimeOptions = {
    token: sim.botToken,
    applicationId: sim.applicationId,
    apiUrl: sim.apiUrl,
    storage: o.storage ?? storage!.url,
    logger: logs.logger,
    ...o.runtime,
  };
  let runtime = createRuntime(options);
  await runtime.start();

  const rig = {
    sim,
    guild,
    alice: alice.userId,
    bob: bob.userId,
    admin: admin.userId,
    logs: logs.lines,
    options,
    get runtime(): Runtime {
      return runtime;
    },
    /** `/command` as a member of the guild (default alice). */
    slash(
      command: string,
      options: Record<string, string | number | boolean> = {},
      as = alice.userId,
      extra: { subcommand?: string; interactionId?: string; guildId?: string } = {},
    ) {
      return sim.slash({
        guildId: extra.guildId ?? guild.id,
        userId: as,
        command,
        options,
        ...(extra.subcommand && { subcommand: extra.subcommand }),
        ...(extra.interactionId && { interactionId: extra.interactionId }),
      });
    },
    balance(userId = alice.userId, guildId = guild.id) {
      return runtime.economy.tenant(guildId).balance(userId);
    },
    /** Stops this runtime and starts a new one on the same store (a process restart). */
    async restart(): Promise<Runtime> {
      await runtime.stop();
      runtime = createRuntime(options);
      await runtime.start();
      return runtime;
    },
    async close() {
      await runtime.stop();
      if (!o.simulator) await sim.close();
      storage?.cleanup();
    },
  };
  return rig;
}

export type Rig = Awaited<ReturnType<typeof startRig>>;

/** `/blackjack bet` until a hand stays open (a natural ends the round at once); the reply with buttons. */
export async function dealOpenHand(
  rig: { slash: Rig['slash'] },
  bet: number,
  as?: string,
): Promise<SimReply> {
  let reply: SimReply | undefined;
  for (let attempt = 0; attempt < 6; attempt++) {
    reply = await rig.slash('blackjack', { bet }, as);
    if (customIds(reply).length > 0) return reply;
  }
  throw new Error(`no open hand after six deals; the last reply: ${reply ? said(reply) : 'none'}`);
}

/** Everything a reply says (title, description, fields, footer), for assertions. */
export function said(reply: SimReply): string {
  return reply.embeds
    .map((e) => {
      const embed = e as {
        title?: string;
        description?: string;
        fields?: Array<{ name: string; value: string }>;
        footer?: { text: string };
      };
      return [
        embed.title,
        embed.description,
        ...(embed.fields ?? []).map((f) => `${f.name}: ${f.value}`),
        embed.footer?.text,
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n');
}

/** The custom ids of a reply's buttons. */
export function customIds(reply: SimReply): string[] {
  return reply.components.flatMap((row) =>
    ((row as { components?: Array<{ custom_id?: string }> }).components ?? []).flatMap((c) =>
      c.custom_id ? [c.custom_id] : [],
    ),
  );
}

/**
 * Resolves with the first `event` the runtime emits that matches, rejecting after `timeoutMs`. Call it
 * before doing what triggers the event.
 */
export function waitForEvent<K extends keyof RuntimeEvents>(
  runtime: Runtime,
  event: K,
  match: (...args: RuntimeEvents[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<RuntimeEvents[K]> {
  const emitter = runtime.events as unknown as EventEmitter;
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]) => {
      if (!match(...(args as RuntimeEvents[K]))) return;
      cleanup();
      resolve(args as RuntimeEvents[K]);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no matching '${String(event)}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      emitter.off(event, listener);
    };
    emitter.on(event, listener);
  });
}
