/** Messages between the runtime benchmark (parent: simulator and load) and the bot process (child). */

export interface InitRequest {
  type: 'init';
  token: string;
  applicationId: string;
  apiUrl: string;
  /** DATABASE_URL: `file:…` or `postgres://…`. */
  storage: string;
  /** REDIS_URL, when the cache is Redis. */
  cache?: string;
  logLevel: string;
  /**
   * Published to these guilds, and their members funded, before the runtime starts; `recordEvents` false:
   * the guilds write no webhook events.
   */
  prepare: {
    config: unknown;
    funding: string;
    guilds: Array<{ id: string; members: string[] }>;
    recordEvents: boolean;
  };
}

export type Request =
  | InitRequest
  | { type: 'memory' }
  | { type: 'cpu' }
  /** Runtime-side timings and outcomes since the last `stats` (then reset). */
  | { type: 'stats' }
  | { type: 'synced' }
  /** From now on, tenants the runtime loads time every SDK call (kept off while memory is measured). */
  | { type: 'time-sdk' }
  | { type: 'verify'; guilds: string[] }
  | { type: 'profile-start' }
  /** With `saveTo`, the raw profile is also written there (a .cpuprofile for DevTools or a script). */
  | { type: 'profile-stop'; saveTo?: string }
  | { type: 'stop' };

export interface MemoryReport {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  tenantsLoaded: number;
  /** Guilds in discord.js's cache. */
  guildsCached: number;
  /** Users, and members over all guilds, in discord.js's caches (bounded: the bot's own only). */
  usersCached: number;
  membersCached: number;
}

export interface RuntimeStats {
  /** Interactions the runtime answered, by command. */
  answered: Record<string, { ok: number; failed: number; deferred: number; ms: number[] }>;
  codes: Record<string, number>;
  /** PostgreSQL statements sent, by prepared-statement name or first words (PostgreSQL backend only). */
  queries: Record<string, number>;
  /** Milliseconds of every SDK tenant call the runtime made, by method (once `time-sdk` was asked). */
  sdk: Record<string, number[]>;
}

export interface ProfileNode {
  url: string;
  functionName: string;
  /** 0-based, as the profiler reports it. */
  line: number;
  selfMs: number;
  /** For a native frame: the nearest JavaScript function up the stack. */
  caller?: string;
}

export type Reply =
  | { ok: true; result: unknown }
  | {
      ok: false;
      error: string;
    };

export interface Envelope<T> {
  id: number;
  body: T;
}
