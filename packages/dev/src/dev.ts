// `pnpm dev`: without DISCORD_TOKEN, a local Discord simulator, a demo guild on the classic preset, the
// runtime connected to it, and a prompt to type commands as a member. With DISCORD_TOKEN, real Discord.
//
// Options (used by the repository's `scripts/dev.mjs`, which also runs the control plane):
//   --dir <path>             where dev.log goes (default: ./.guildmint)
//   --control-plane <url>    also register the simulator's OAuth2 app for <url>/api/auth/callback/discord,
//                            add a demo owner who owns the demo guild and a second guild without the bot
// Started with an IPC channel (child_process `stdio: [..., 'ipc']`), it sends the parent
// `{ type: 'simulator', env, login }` once everything runs, and waits for `{ type: 'prompt' }` before the prompt.
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  ControlPlanePackShop,
  createLogger,
  createRuntime,
  EnvError,
  loadDevEnv,
  type RuntimeEnv,
  runtimeOptionsFromEnv,
} from '@guildmint/bot-runtime';
import { DiscordSimulator, isSimulatorError, type SimReply } from '@guildmint/discord-simulator';
import { PermissionFlagsBits } from 'discord.js';
import { pino } from 'pino';
import { buttonsOf, parseLine, render } from './dev/render.js';

const GUILD_ID = '1100000000000000001';
const MEMBERS = [
  { name: 'alice', id: '1200000000000000001', admin: false },
  { name: 'bob', id: '1200000000000000002', admin: false },
  { name: 'admin', id: '1200000000000000003', admin: true },
] as const;
/** The control plane's demo login: owns the demo guild (bot in it) and a sandbox guild (bot not added yet). */
const OWNER = { id: '1200000000000000009', username: 'owner', globalName: 'Demo Owner' } as const;
const SANDBOX = { id: '1100000000000000002', name: 'Guildmint sandbox' } as const;
/** The demo's Discord guild subscription SKU (Premium Apps), which grants Pro: `premium buy` at the prompt. */
const PRO_SKU = { id: '1300000000000000001', name: 'Guildmint Pro' } as const;

const HELP = `Type a slash command as the current member, e.g.
  /daily                      /balance                  /pay member:bob amount:25 memo:"thanks"
  /coinflip bet:50 side:heads /dice bet:20 target:50 direction:over
  /blackjack bet:100          then: hit | stand | double
  /shop  /buy item:snack  /inventory  /use item:snack  /streak  /leaderboard  /work
  /fair show | /fair rotate | /fair verify round_id:<id> server_seed:<seed>
  as admin, then /eco grant member:alice amount:500 reason:"prize" (also revoke, freeze, unfreeze, rollback, stats)
Discord's store: premium buy (the current member buys the guild Pro), premium end, premium refund, premium
Other: as <alice|bob|admin>, commands, help, exit`;

async function realDiscord(env: ReturnType<typeof loadDevEnv>): Promise<void> {
  if (!env.DISCORD_APPLICATION_ID)
    throw new EnvError(['DISCORD_APPLICATION_ID: is required with DISCORD_TOKEN']);
  const log = createLogger({ level: env.LOG_LEVEL });
  const runtime = createRuntime({ ...runtimeOptionsFromEnv(env as RuntimeEnv), logger: log });
  const stop = () => void runtime.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runtime.start();
  log.info(
    { metrics: runtime.metricsUrl },
    'connected to Discord: use the commands in your server (Ctrl-C stops)',
  );
}

interface DevOptions {
  dir: string;
  controlPlane: string | undefined;
}

function devOptions(): DevOptions {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, 'control-plane': { type: 'string' } },
  });
  return { dir: resolve(values.dir ?? '.guildmint'), controlPlane: values['control-plane'] };
}

async function simulated(env: ReturnType<typeof loadDevEnv>, options: DevOptions): Promise<void> {
  const dir = options.dir;
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'dev.log');
  const sim = await DiscordSimulator.start();
  if (options.controlPlane) {
    sim.registerOAuthApp({ redirectUris: [`${options.controlPlane}/api/auth/callback/discord`] });
    sim.addUser(OWNER);
    sim.addGuild({ id: GUILD_ID, name: 'Guildmint demo', ownerId: OWNER.id });
    sim.addGuild({ ...SANDBOX, ownerId: OWNER.id, withBot: false });
  } else {
    sim.addGuild({ id: GUILD_ID, name: 'Guildmint demo' });
  }
  for (const m of MEMBERS) {
    sim.addMember(
      GUILD_ID,
      { id: m.id, username: m.name },
      m.admin ? { permissions: PermissionFlagsBits.ManageGuild } : {},
    );
  }
  sim.addSku({ ...PRO_SKU, kind: 'guild-subscription' });
  const runtime = createRuntime({
    skuPlans: new Map([[PRO_SKU.id, 'pro']]),
    token: sim.botToken,
    applicationId: sim.applicationId,
    apiUrl: sim.apiUrl,
    storage: env.DATABASE_URL,
    ...(env.REDIS_URL !== undefined && { cache: env.REDIS_URL }),
    // Currency packs: `/buy pack:` asks the control plane (scripts/dev.mjs gives both the same secret).
    ...(options.controlPlane &&
      env.GUILDMINT_INTERNAL_SECRET && {
        packs: new ControlPlanePackShop({ url: options.controlPlane, secret: env.GUILDMINT_INTERNAL_SECRET }),
      }),
    metricsPort: env.METRICS_PORT === 'off' ? 'off' : 0,
    logger: createLogger({
      level: env.LOG_LEVEL,
      destination: pino.destination({ dest: logFile, sync: false }),
    }),
  });
  await runtime.start();

  const ids = new Map<string, string>(MEMBERS.map((m) => [m.name, m.id]));
  const names = new Map<string, string>(MEMBERS.map((m) => [m.id, m.name]));
  let member: (typeof MEMBERS)[number] = MEMBERS[0];
  const lastWithButtons = new Map<string, SimReply>();

  console.log(
    `Guildmint dev: a local Discord simulator at ${sim.apiUrl}, guild "Guildmint demo" on the classic preset.`,
  );
  console.log(
    `Store: ${env.DATABASE_URL} · logs: ${logFile}${runtime.metricsUrl ? ` · metrics: ${runtime.metricsUrl}/metrics` : ''}`,
  );

  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const lines = rl[Symbol.asyncIterator](); // now, so lines typed before the prompt shows are kept
  const closed = new Promise<void>((done) => rl.once('close', done));
  let isClosed = false;
  void closed.then(() => {
    isClosed = true;
  });
  // Ctrl-C on a terminal closes the prompt (raw mode: no signal); SIGINT/SIGTERM and a parent that goes away too.
  process.once('SIGINT', () => rl.close());
  process.once('SIGTERM', () => rl.close());
  if (process.send) {
    process.once('disconnect', () => rl.close());
    process.send({
      type: 'simulator',
      // The bot's token too: the control plane checks role grants with Discord as the bot at publish.
      env: { ...sim.oauthEnv(), DISCORD_APPLICATION_ID: sim.applicationId, DISCORD_BOT_TOKEN: sim.botToken },
      login: { user: OWNER.globalName, withBot: 'Guildmint demo', withoutBot: SANDBOX.name },
    });
    // The parent prints its own lines (e.g. the control plane's URL) before the prompt starts.
    await Promise.race([
      new Promise<void>((done) =>
        process.on('message', (m: { type?: string }) => m?.type === 'prompt' && done()),
      ),
      closed,
    ]);
  }
  if (!isClosed) console.log(`${HELP}\n`);

  const show = (reply: SimReply) => {
    console.log(render(reply, names));
    if (buttonsOf(reply).length > 0) lastWithButtons.set(member.id, reply);
    else if (lastWithButtons.get(member.id)?.messageId === reply.messageId) lastWithButtons.delete(member.id);
  };

  /** Discord's store for the demo guild, then the plan the runtime recorded from its REST re-read. */
  const premium = async (action: 'buy' | 'end' | 'refund' | 'show', userId: string): Promise<string> => {
    const tenant = runtime.economy.tenant(GUILD_ID);
    const describe = async () => {
      const { name, source } = await tenant.plan();
      return `plan: ${name}${source ? ` (${source.rail} ${source.ref}, ${source.status})` : ''}`;
    };
    if (action === 'show') return describe();
    const live = sim.entitlements({ guildId: GUILD_ID, skuIds: [PRO_SKU.id], excludeEnded: true })[0];
    if (action !== 'buy' && !live) return 'the guild has no Pro subscription: premium buy';
    if (action === 'buy') sim.purchaseSku({ guildId: GUILD_ID, userId, skuId: PRO_SKU.id });
    else if (action === 'end') sim.endSubscription(live!.id);
    else sim.deleteEntitlement(live!.id);
    // The event reaches the runtime over a socket, so its check cannot be done before this listens.
    await once(runtime.events, 'entitlementsChecked', { signal: AbortSignal.timeout(10_000) });
    return describe();
  };

  const prompt = () => {
    rl.setPrompt(`${member.name}> `);
    rl.prompt();
  };
  if (!isClosed) prompt();
  for await (const line of lines) {
    const parsed = parseLine(line, ids);
    try {
      switch (parsed.kind) {
        case 'empty':
          break;
        case 'exit':
          rl.close();
          break;
        case 'help':
          console.log(HELP);
          break;
        case 'commands':
          for (const c of sim.commands(GUILD_ID)) console.log(`  /${c.name} — ${c.description}`);
          break;
        case 'as': {
          const next = MEMBERS.find((m) => m.name === parsed.member.toLowerCase());
          if (next) member = next;
          else console.log(`no member "${parsed.member}": try alice, bob or admin`);
          break;
        }
        case 'error':
          console.log(parsed.message);
          break;
        case 'premium':
          console.log(await premium(parsed.action, member.id));
          break;
        case 'button': {
          const message = lastWithButtons.get(member.id);
          const button = message && buttonsOf(message).find((b) => b.label.toLowerCase() === parsed.action);
          if (!message || !button) {
            console.log(`nothing to ${parsed.action} here: start with e.g. /blackjack bet:100`);
            break;
          }
          show(
            await sim.click({
              guildId: GUILD_ID,
              userId: member.id,
              message,
              customId: button.customId,
              timeoutMs: 20_000,
            }),
          );
          break;
        }
        case 'slash':
          show(
            await sim.slash({
              guildId: GUILD_ID,
              userId: member.id,
              command: parsed.command,
              options: parsed.options,
              ...(parsed.subcommand !== undefined && { subcommand: parsed.subcommand }),
              timeoutMs: 20_000,
            }),
          );
          break;
      }
    } catch (error) {
      // The simulator refuses what Discord's client would (unknown options, wrong types, missing permissions).
      console.log(
        isSimulatorError(error) ? `Discord would refuse that: ${error.message}` : `error: ${String(error)}`,
      );
    }
    if (parsed.kind === 'exit') break;
    prompt();
  }
  console.log('\nstopping…');
  await runtime.stop();
  await sim.close();
  process.disconnect?.();
}

async function main(): Promise<void> {
  const env = loadDevEnv();
  await (env.DISCORD_TOKEN ? realDiscord(env) : simulated(env, devOptions()));
}

// A bad environment exits 2, as the runtime's own command does; anything else 1.
main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(error instanceof EnvError ? 2 : 1);
});
