import type {
  AnomalyFlag,
  AuditLogEntry,
  Economy,
  EconomyConfig,
  LogCursor,
  LogPosition,
  Tenant,
} from '@guildmint/sdk';
import type { Logger } from 'pino';
import type { LogChannel, LogEvent } from './log-channel.js';
import { auditEvent, configEvent } from './log-channel-admin.js';
import { AnomalyWatch, anomalyEvent } from './log-channel-anomalies.js';

/** Audit entries read per page, and pages read per follow at most (a longer backlog is cut, and said so). */
const PAGE = 100;
const MAX_PAGES = 5;
/** With no cursor yet (a guild's first follow), what happened this recently is posted; older is not. */
const FIRST_LOOK_MS = 3_600_000;
/** With nothing new to post, the anomaly scan's point is saved this often at most (one write per guild). */
const ANOMALY_SAVE_MS = 300_000;

type ConfigVersion = { version: number; actor: string | null; createdAt: Date };

/** What happened since the cursor, oldest first, and where the cursor goes once it is posted. */
interface Unread {
  entries: AuditLogEntry[];
  versions: ConfigVersion[];
  /** Entries beyond the pages read: not posted, counted. */
  cut: boolean;
  to: Omit<LogPosition, 'anomaliesAt'>;
}

export interface AuditFeedOptions {
  economy: Economy;
  logChannel: LogChannel;
  log: Logger;
  now: () => number;
  /** The guilds this process serves (its shards'): each guild's feed is followed where its shard runs. */
  guilds(): string[];
  /** A guild's feed was followed (posted: events queued; 0 when nothing new, or another process took them). */
  onFollowed?(guildId: string, posted: number): void;
}

/**
 * Posts every admin action to the guild's log channel, whichever process did it (the runtime's `/eco`,
 * the control plane, the public API, a script on the SDK): it follows the tenant's audit log and config
 * history from a cursor the SDK keeps in the tenant's state, and scans the transfers since the cursor's
 * point for anomalies. At least once, and once in the normal case: the cursor moves (by compare-and-set)
 * only after the step's posts went out, so events still queued when a process stops are posted by the
 * next one; `stop` drains the queue first, within a bounded time. A guild's feed is followed by the
 * process its shard runs on; two processes that do follow one guild at once may both post a step (the
 * loser of the compare-and-set says so in its log).
 */
export class AuditFeed {
  /** One follow per guild at a time, and at most one more waiting behind it (it sees what came meanwhile). */
  private readonly running = new Map<string, Promise<number>>();
  private readonly waiting = new Map<string, Promise<number>>();
  private readonly anomalies = new AnomalyWatch();
  /** Per guild, the step whose events are being posted: the cursor moves once they are. */
  private readonly posting = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly o: AuditFeedOptions) {}

  /**
   * Stops following, and gives the steps under way `drainMs` to post (the log channel's drain) and move
   * their cursors; a step not posted by then leaves its cursor, and the next process posts it.
   */
  async stop(drainMs: number): Promise<void> {
    this.stopped = true;
    await this.o.logChannel.close(drainMs);
    await Promise.all([...this.running.values(), ...this.waiting.values()]);
    // A post still under way (Discord slow to answer) settles its step when it ends; not waited for long.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.posting.values()),
      new Promise((resolve) => {
        timer = setTimeout(resolve, drainMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Follows every guild this process serves (the periodic sweep). Never rejects. */
  async run(): Promise<void> {
    for (const guildId of this.o.guilds()) await this.follow(guildId);
  }

  /**
   * Posts what is new in the guild's audit log and config history (after an admin command, at once);
   * resolves with how many events were queued. Never rejects: a failure is retried by the next sweep.
   */
  follow(guildId: string): Promise<number> {
    const under = this.running.get(guildId);
    if (!under) return this.start(guildId);
    let next = this.waiting.get(guildId);
    if (!next) {
      next = under.then(() => {
        this.waiting.delete(guildId);
        return this.start(guildId);
      });
      this.waiting.set(guildId, next);
    }
    return next;
  }

  private start(guildId: string): Promise<number> {
    const run = this.step(guildId)
      .then(
        (posted) => {
          this.o.onFollowed?.(guildId, posted);
          return posted;
        },
        (err: unknown) => {
          this.o.log.warn({ guildId, tenant: guildId, err }, 'log channel: could not follow the audit log');
          return 0;
        },
      )
      .finally(() => this.running.delete(guildId));
    this.running.set(guildId, run);
    return run;
  }

  private async step(guildId: string): Promise<number> {
    // A step still posting holds the cursor: the next follow reads from where that one moves it.
    if (this.stopped || this.posting.has(guildId)) return 0;
    const tenant = this.o.economy.tenant(guildId);
    const config = await tenant.config();
    const log = config.logChannel;
    const admin = log.events.includes('admin');
    const anomaly = log.events.includes('anomaly');
    if (!log.enabled || log.channelId === null || (!admin && !anomaly)) return 0;
    const now = this.o.now();
    const firstLookFrom = now - FIRST_LOOK_MS;
    const cursor = await tenant.logCursor();
    // Read even when admin actions are not posted, so turning them on later posts no old backlog.
    const unread = await readUnread(tenant, cursor, config.version, firstLookFrom);
    const since = new Date(Math.max(cursor?.anomaliesAt ?? 0, firstLookFrom));
    const flags = anomaly ? (await tenant.anomalies({ since })).flags : [];
    const admins = admin ? timeline(unread, config) : [];
    const fresh = this.anomalies.fresh(guildId, flags);
    const events = [...admins, ...fresh.map((f) => anomalyEvent(f, config))];
    const moved =
      unread.to.auditId !== (cursor?.auditId ?? null) || unread.to.configVersion !== cursor?.configVersion;
    const stale = cursor === null || (anomaly && now - cursor.anomaliesAt >= ANOMALY_SAVE_MS);
    if (events.length === 0 && !moved && !stale) return 0;
    const to = { ...unread.to, anomaliesAt: anomaly ? now : (cursor?.anomaliesAt ?? 0) };
    if (events.length === 0) {
      await tenant.advanceLogCursor(cursor, to);
      return 0;
    }
    if (unread.cut && admin)
      this.o.log.warn({ guildId, tenant: guildId }, 'log channel: older admin actions were not posted');
    const posting = this.o.logChannel
      .deliver(guildId, log, events)
      .then((posted) => this.settle(tenant, { cursor, to, posted, flags: fresh }))
      .catch((err: unknown) => {
        this.o.log.warn({ guildId, tenant: guildId, err }, 'log channel: could not move the audit cursor');
      })
      .finally(() => this.posting.delete(guildId));
    this.posting.set(guildId, posting);
    return events.length;
  }

  /** After a step's posts: the cursor moves past what was posted; what was not is read again next time. */
  private async settle(
    tenant: Tenant,
    s: { cursor: LogCursor | null; to: LogPosition; posted: boolean; flags: AnomalyFlag[] },
  ): Promise<void> {
    const guildId = tenant.id;
    if (!s.posted) {
      this.anomalies.forget(guildId, s.flags);
      this.o.log.warn(
        { guildId, tenant: guildId },
        'log channel: not posted; the next follow posts it again',
      );
      return;
    }
    if (!(await tenant.advanceLogCursor(s.cursor, s.to)))
      this.o.log.warn(
        { guildId, tenant: guildId },
        'log channel: another process moved the audit cursor meanwhile; it may have posted these too',
      );
  }
}

/**
 * The audit entries after the cursor's (newest first, a page at a time, until its entry), or those since
 * `firstLookFrom` when there is no cursor yet; and the config versions after the cursor's.
 */
async function readUnread(
  tenant: Tenant,
  cursor: LogCursor | null,
  configVersion: number,
  firstLookFrom: number,
): Promise<Unread> {
  const entries: AuditLogEntry[] = [];
  let newest: string | null = cursor?.auditId ?? null;
  let cut = false;
  let before: AuditLogEntry | undefined;
  read: for (let page = 0; ; page++) {
    if (page === MAX_PAGES) {
      cut = true;
      break;
    }
    const rows = await tenant.auditLog({ limit: PAGE, ...(before && { before }) });
    if (page === 0 && rows[0]) newest = rows[0].id;
    for (const row of rows) {
      if (row.id === cursor?.auditId) break read;
      if (cursor === null && row.createdAt.getTime() < firstLookFrom) break read;
      entries.push(row);
    }
    if (rows.length < PAGE) break;
    before = rows.at(-1);
  }
  const since = cursor?.configVersion ?? 0;
  const versions =
    configVersion > since
      ? (await tenant.configHistory()).filter(
          (v) =>
            v.version > since &&
            v.version <= configVersion &&
            (cursor !== null || v.createdAt.getTime() >= firstLookFrom),
        )
      : [];
  return {
    entries: entries.reverse(),
    versions: versions.sort((a, b) => a.version - b.version),
    cut,
    to: { auditId: newest, configVersion: Math.max(since, configVersion) },
  };
}

/** The log lines for what was read, in the order it happened; a run of imports is one line. */
function timeline(unread: Unread, config: EconomyConfig): LogEvent[] {
  const dated = [
    ...unread.entries.map((entry) => ({ at: entry.createdAt.getTime(), entry })),
    ...unread.versions.map((version) => ({ at: version.createdAt.getTime(), version })),
  ].sort((a, b) => a.at - b.at);
  const events: LogEvent[] = [];
  for (let i = 0; i < dated.length; i++) {
    const item = dated[i]!;
    if ('version' in item) {
      events.push(configEvent(item.version));
      continue;
    }
    const run = [item.entry];
    if (item.entry.action === 'import') {
      while (i + 1 < dated.length) {
        const next = dated[i + 1]!;
        if (!('entry' in next) || next.entry.action !== 'import' || next.entry.actor !== item.entry.actor)
          break;
        run.push(next.entry);
        i++;
      }
    }
    const event = auditEvent(run, config);
    if (event) events.push(event);
  }
  if (unread.cut)
    events.unshift({ kind: 'admin', text: '⚠️ Older admin actions were not posted: see the audit log.' });
  return events;
}
