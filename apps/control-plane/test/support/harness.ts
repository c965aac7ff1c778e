import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEconomy, type Economy } from '@guildmint/sdk';
import { createCaller } from '../../src/server/api/root';
import { openApiKeyStore } from '../../src/server/api-keys';
import type { Billing } from '../../src/server/billing/billing';
import type { Packs } from '../../src/server/billing/packs/packs';
import { openPlatformStore, type PlatformStore } from '../../src/server/db';
import type { GuildDirectory, GuildUser, ManagedGuild } from '../../src/server/discord/guilds';
import { type RoleGrantChecker, refuseRoleGrants } from '../../src/server/discord/role-grants';
import { SimulationRunner } from '../../src/server/economy/simulation';
import { openImportRunStore } from '../../src/server/import';
import { type ApiRateLimit, createApiRateLimit } from '../../src/server/public-api/rate-limit';
import { createLimiter, type Limiter } from '../../src/server/rate-limit';
import type { InviteSettings, Services } from '../../src/server/services';
import type { SessionUser } from '../../src/server/session';
import { openWebhookServices } from '../../src/server/webhooks';
import { secretKeyring } from '../../src/server/webhooks/secret-box';
import { createTestDatabase } from './services';

/** Guilds per user, as Discord would report them; tests change it to model lost permissions. */
export class FakeGuildDirectory implements GuildDirectory {
  readonly guilds = new Map<string, ManagedGuild[]>();
  async managed(user: GuildUser): Promise<ManagedGuild[]> {
    return [...(this.guilds.get(user.id) ?? [])];
  }
}

export const INVITE: InviteSettings = {
  authorizeUrl: 'https://discord.example/oauth2/authorize',
  applicationId: '900000000000000001',
};

export interface Harness {
  services: Services;
  platform: PlatformStore;
  economy: Economy;
  directory: FakeGuildDirectory;
  /** Where the economy lives (a libSQL file URL or the PostgreSQL database's URL). */
  economyUrl: string;
  /** A registered user (platform row) who manages `guilds` on "Discord". */
  user(name: string, guilds?: ManagedGuild[]): Promise<SessionUser>;
  /** A tRPC caller as this user (or anonymous); `signal` stands for the request's. */
  caller(user?: SessionUser | null, o?: { signal?: AbortSignal }): ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

export type StorageKind = 'libsql' | 'postgres';

/** Endpoint secrets sealed with the development key, as `pnpm dev` does. */
const DEVELOPMENT_SECRETS = secretKeyring({ current: undefined, production: false });

let snowflake = 200000000000000000n;
export const nextId = () => (snowflake++).toString();

export function guild(name: string, o: { id?: string; owner?: boolean } = {}): ManagedGuild {
  return { id: o.id ?? nextId(), name, icon: null, owner: o.owner ?? true };
}

/** Real stores in a temp folder (libSQL files) or a fresh PostgreSQL database. */
export async function createHarness(
  kind: StorageKind = 'libsql',
  o: {
    limiter?: Limiter;
    costs?: Limiter;
    simulations?: SimulationRunner;
    roleGrants?: RoleGrantChecker;
    apiRateLimit?: ApiRateLimit;
    now?: () => Date;
    /** The economy's clock (default: real time, never the same millisecond twice). */
    clock?: { now(): Date };
    /** Stripe Billing on this harness's stores (default: none). */
    billing?: (stores: { economy: Economy; platform: PlatformStore }) => Billing;
    /** A libSQL economy's writer on its own thread (GUILDMINT_ECONOMY_WRITER_THREAD=1; default: inline). */
    writerThread?: boolean;
    /** Currency packs on this harness's stores (default: none); made before `billing`. */
    packs?: (stores: { economy: Economy; platformUrl: string }) => Packs;
  } = {},
): Promise<Harness> {
  let platformUrl: string;
  let economyUrl: string;
  let cleanup: () => Promise<void>;
  if (kind === 'libsql') {
    const dir = mkdtempSync(join(tmpdir(), 'guildmint-cp-'));
    platformUrl = `file:${join(dir, 'platform.db')}`;
    economyUrl = `file:${join(dir, 'economy.db')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const db = await createTestDatabase('control_plane');
    platformUrl = db.url;
    economyUrl = db.url;
    cleanup = () => db.drop();
  }
  const platform = openPlatformStore(platformUrl);
  // Real time, but never the same millisecond twice: audit pages cut at a timestamp stay exact.
  let last = 0;
  const clock = {
    now: () => {
      last = Math.max(Date.now(), last + 1);
      return new Date(last);
    },
  };
  const economyClock = o.clock ?? clock;
  const economy = createEconomy({
    storage: economyUrl,
    writerThread: o.writerThread === true,
    clock: economyClock,
    enforcePlans: true,
  });
  await Promise.all([platform.migrate(), economy.migrate()]);
  const directory = new FakeGuildDirectory();
  const packs = o.packs?.({ economy, platformUrl }) ?? null;
  const services: Services = {
    platform,
    economy,
    guilds: directory,
    limiter: o.limiter ?? createLimiter({ points: 1000, perSeconds: 60, keyPrefix: 'test-mutations' }),
    costs: o.costs ?? createLimiter({ points: 1000, perSeconds: 60, keyPrefix: 'test-costly' }),
    simulations:
      o.simulations ?? new SimulationRunner({ maxConcurrent: 4, timeoutMs: 120_000, cacheSize: 20 }),
    roleGrants: o.roleGrants ?? refuseRoleGrants,
    invite: INVITE,
    billing: o.billing?.({ economy, platform }) ?? null,
    packs,
    apiKeys: openApiKeyStore(platformUrl),
    imports: openImportRunStore(platformUrl),
    apiRateLimit:
      o.apiRateLimit ??
      createApiRateLimit({ requestsPerMinute: async () => 1000, keyPrefix: `test-api:${nextId()}` }),
    webhooks: openWebhookServices(platformUrl, economyUrl, true, DEVELOPMENT_SECRETS),
    now: o.now ?? (() => new Date()),
  };
  return {
    services,
    economyUrl,
    platform,
    economy,
    directory,
    async user(name, guilds = []) {
      const id = `user-${nextId()}`;
      await platform.upsertUser({ id, name, image: null });
      directory.guilds.set(id, guilds);
      return { id, discordId: nextId(), name, image: null, provider: 'discord' };
    },
    caller(user = null, o = {}) {
      return createCaller({ session: user ? { user } : null, services }, o);
    },
    async close() {
      await economy.close();
      await services.apiKeys.close();
      await services.webhooks.endpoints.close();
      await services.webhooks.outbox.close();
      await services.imports.close();
      await packs?.close();
      await platform.close();
      await cleanup();
    },
  };
}

/** A user who has onboarded one guild with `preset`: the tenant id and a caller for them. */
export async function onboarded(h: Harness, preset: 'classic' | 'casino' | 'cozy' = 'classic') {
  const g = guild(`Guild ${nextId()}`);
  const user = await h.user('Owner', [g]);
  await h.caller(user).tenants.create({ guildId: g.id, preset });
  return { tenantId: g.id, user, caller: h.caller(user) };
}
