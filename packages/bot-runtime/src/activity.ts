import {
  type ActivityResult,
  type Economy,
  noActivityReward,
  type Tenant,
  type VoiceSession,
} from '@guildmint/sdk';
import type { Logger } from 'pino';
import { type VoicePeriod, type VoiceStateInput, VoiceTracker } from './activity-voice.js';
import type { RuntimeMetrics } from './metrics.js';

// Activity income from the gateway: MESSAGE_CREATE (intent GuildMessages) and VOICE_STATE_UPDATE
// (GuildVoiceStates), both non-privileged. Nothing here reads a message's content (a privileged intent
// the bot never asks for): a message counts by its author, channel and id alone.

const SNOWFLAKE = /^\d{1,21}$/;

export interface ActivityDeps {
  economy: Economy;
  log: Logger;
  metrics: RuntimeMetrics;
  now(): number;
  /** Posts a level-up announcement in a channel. */
  announce(channelId: string, content: string, userId: string): Promise<unknown>;
  /** Grants a level's role reward (the runtime's role rules decide whether it may). */
  grantRole(guildId: string, userId: string, roleId: string): Promise<boolean>;
  /** Told after each reward settles (tests wait on it instead of sleeping). */
  onRewarded?(guildId: string, result: ActivityResult): void;
}

interface MessageFields {
  guildId: string;
  channelId: string;
  messageId: string;
  userId: string;
  roles: readonly string[];
}

/** Reads the few fields a reward needs, or null for anything that earns nothing (bots, webhooks, DMs, system messages). */
export function messageFields(d: unknown): MessageFields | null {
  if (typeof d !== 'object' || d === null) return null;
  const m = d as {
    id?: unknown;
    guild_id?: unknown;
    channel_id?: unknown;
    webhook_id?: unknown;
    type?: unknown;
    author?: { id?: unknown; bot?: unknown; system?: unknown };
    member?: { roles?: unknown };
  };
  // Default messages (0) and replies (19) only: joins, boosts and pins are Discord's, not the member's.
  if (m.type !== 0 && m.type !== 19) return null;
  if (m.webhook_id !== undefined || m.author?.bot === true || m.author?.system === true) return null;
  const { id, guild_id: guildId, channel_id: channelId } = m;
  const userId = m.author?.id;
  if (
    typeof id !== 'string' ||
    typeof guildId !== 'string' ||
    typeof channelId !== 'string' ||
    typeof userId !== 'string' ||
    !SNOWFLAKE.test(id) ||
    !SNOWFLAKE.test(guildId) ||
    !SNOWFLAKE.test(userId)
  )
    return null;
  return { guildId, channelId, messageId: id, userId, roles: rolesOf(m.member) };
}

export class ActivityHandler {
  readonly #deps: ActivityDeps;
  readonly #voice = new VoiceTracker();
  readonly #pending = new Set<Promise<void>>();
  /** guild → the tail of its voice work, run in order. */
  readonly #voiceQueues = new Map<string, Promise<void>>();
  /** `<guild>:<user>` → periods closed and saved as due, not yet paid (saved again until they are). */
  readonly #unpaid = new Map<string, VoicePeriod[]>();

  /** The window outcome's counter, bound once: most messages count here. */
  readonly #quietCount;

  constructor(deps: ActivityDeps) {
    this.#deps = deps;
    this.#quietCount = deps.metrics.activity.labels('window');
  }

  /** One MESSAGE_CREATE payload. Returns at once; most messages are settled from memory by the SDK. */
  onMessage(d: unknown): void {
    const m = messageFields(d);
    if (!m) return;
    const tenant = this.#deps.economy.tenant(m.guildId);
    // The hot path: a member inside their window earns nothing, known from memory, no promise made.
    if (tenant.levels.quiet(m.userId)) {
      this.#quietCount.inc();
      this.#deps.onRewarded?.(m.guildId, noActivityReward(m.userId, 'window'));
      return;
    }
    this.#track(
      m.guildId,
      tenant.levels
        .message({ userId: m.userId, messageId: m.messageId, channelId: m.channelId, roles: m.roles })
        .then((result) => this.#settled(tenant, m.guildId, result, m.channelId)),
    );
  }

  /** One VOICE_STATE_UPDATE payload: the member's session is saved, and periods that end are paid. */
  onVoiceState(d: unknown): void {
    const state = voiceStateOf(d, null);
    if (!state) return;
    const now = this.#deps.now();
    this.#voiceTask(state.guildId, async () => {
      const before = this.#voice.channelOf(state.guildId, state.userId);
      const ended = this.#voice.update(state, now);
      const touched = new Set([
        state.userId,
        ...this.#voice.members(state.guildId, before),
        ...this.#voice.members(state.guildId, state.channelId),
      ]);
      await this.#save(state.guildId, touched, ended, now);
    });
  }

  /**
   * One GUILD_CREATE payload (at start-up, on joining, after a reconnect): its voice states are who is in
   * voice now. A guild this process was not tracking is resumed from the sessions the previous process
   * saved (see `VoiceTracker.resume`); one it was tracking is brought up to date, members gone paid up to now.
   */
  onGuildCreate(d: unknown): void {
    if (typeof d !== 'object' || d === null) return;
    const g = d as { id?: unknown; voice_states?: unknown; members?: unknown };
    if (typeof g.id !== 'string' || !SNOWFLAKE.test(g.id)) return;
    const guildId = g.id;
    const members = new Map(
      (Array.isArray(g.members) ? g.members : []).flatMap((m: { user?: { id?: unknown } }) =>
        typeof m?.user?.id === 'string' ? [[m.user.id, m] as const] : [],
      ),
    );
    // GUILD_CREATE's voice states are partial: the member (roles, bot flag) comes from its member list.
    const current = (Array.isArray(g.voice_states) ? g.voice_states : []).flatMap(
      (v: { user_id?: unknown }) => {
        const state = voiceStateOf({ member: members.get(String(v?.user_id)), ...v }, guildId);
        return state ? [state] : [];
      },
    );
    const now = this.#deps.now();
    this.#voiceTask(guildId, async () => {
      const tracked = this.#voice.members(guildId);
      let saved: Array<{ userId: string; session: VoiceSession }>;
      if (tracked.length > 0) {
        saved = tracked.map((userId) => ({
          userId,
          session: { presence: this.#voice.presence(guildId, userId), savedAt: now, due: [] },
        }));
      } else {
        if (!(await this.#voiceOn(guildId)) && current.length === 0) return;
        saved = await this.#deps.economy.tenant(guildId).levels.voiceSessions();
        // Periods a previous process closed but may not have paid: paid now (a paid one replays).
        for (const { userId, session } of saved) {
          for (const due of session.due) this.#payVoice({ guildId, userId, ...due });
        }
      }
      const ended = this.#voice.resume(guildId, saved, current, now);
      const touched = new Set([...saved.map((s) => s.userId), ...current.map((s) => s.userId)]);
      await this.#save(guildId, touched, ended, now);
      if (saved.length > 0 || current.length > 0)
        this.#deps.log.info(
          { guildId, tenant: guildId, resumed: saved.length, inVoice: current.length, paid: ended.length },
          'voice sessions resumed',
        );
    });
  }

  /**
   * Pays the voice minutes of members still in a channel (the periodic sweep), and saves every tracked
   * member's session: what a restart would resume from.
   */
  settleVoice(): void {
    const now = this.#deps.now();
    for (const guildId of this.#voice.guilds()) {
      this.#voiceTask(guildId, async () => {
        const ended = this.#voice.settle(now, 10, guildId);
        await this.#save(guildId, new Set(this.#voice.members(guildId)), ended, now);
      });
    }
  }

  /** Resolves when every reward started so far has settled. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Runs a guild's voice work in order (a resume before the updates that follow it), tracked for idle(). */
  #voiceTask(guildId: string, task: () => Promise<void>): void {
    const next = (this.#voiceQueues.get(guildId) ?? Promise.resolve()).then(task);
    const tail = next.catch(() => {});
    this.#voiceQueues.set(guildId, tail);
    void tail.then(() => {
      if (this.#voiceQueues.get(guildId) === tail) this.#voiceQueues.delete(guildId);
    });
    this.#track(guildId, next);
  }

  async #voiceOn(guildId: string): Promise<boolean> {
    const { levels } = await this.#deps.economy.tenant(guildId).config();
    return levels.enabled && levels.voice.enabled;
  }

  /**
   * Saves the sessions of `userIds` with the periods just `ended` as due, then pays those periods: saved
   * first, so a crash in between pays them after the restart instead of losing them, and a period is never
   * resumed once it was paid (its id is paid once either way).
   */
  async #save(guildId: string, userIds: Set<string>, ended: VoicePeriod[], now: number): Promise<void> {
    for (const period of ended) {
      const key = `${guildId}:${period.userId}`;
      this.#unpaid.set(key, [...(this.#unpaid.get(key) ?? []), period]);
    }
    for (const period of ended) userIds.add(period.userId);
    if (userIds.size > 0 && (await this.#voiceOn(guildId))) {
      const sessions = [...userIds].map((userId) => ({
        userId,
        session: {
          presence: this.#voice.presence(guildId, userId),
          savedAt: now,
          due: (this.#unpaid.get(`${guildId}:${userId}`) ?? []).map(({ periodId, minutes, roles }) => ({
            periodId,
            minutes,
            roles: [...roles],
          })),
        },
      }));
      await this.#deps.economy
        .tenant(guildId)
        .levels.saveVoiceSessions(sessions)
        .then(() =>
          this.#deps.log.debug(
            { guildId, tenant: guildId, inVoice: sessions.filter((x) => x.session.presence).length },
            'voice sessions saved',
          ),
        )
        .catch((err: unknown) =>
          this.#deps.log.warn({ guildId, tenant: guildId, err }, 'could not save voice sessions'),
        );
    }
    for (const period of ended) this.#payVoice(period);
  }

  #payVoice(p: VoicePeriod): void {
    const tenant = this.#deps.economy.tenant(p.guildId);
    const key = `${p.guildId}:${p.userId}`;
    this.#track(
      p.guildId,
      tenant.levels
        .voice({ userId: p.userId, periodId: p.periodId, minutes: p.minutes, roles: p.roles })
        .then((result) => {
          const left = (this.#unpaid.get(key) ?? []).filter((u) => u.periodId !== p.periodId);
          if (left.length > 0) this.#unpaid.set(key, left);
          else this.#unpaid.delete(key);
          return this.#settled(tenant, p.guildId, result, null);
        }),
    );
  }

  #track(guildId: string, work: Promise<void>): void {
    const done = work
      .catch((err: unknown) => {
        this.#deps.metrics.activity.inc({ outcome: 'error' });
        this.#deps.log.warn({ guildId, tenant: guildId, err }, 'activity reward failed');
      })
      .finally(() => this.#pending.delete(done));
    this.#pending.add(done);
  }

  async #settled(
    tenant: Tenant,
    guildId: string,
    result: ActivityResult,
    channelId: string | null,
  ): Promise<void> {
    this.#deps.metrics.activity.inc({ outcome: result.rewarded ? 'rewarded' : (result.reason ?? 'none') });
    if (result.rewarded && !result.replayed && result.level > result.previousLevel) {
      await this.#levelUp(tenant, guildId, result, channelId);
    }
    this.#deps.onRewarded?.(guildId, result);
  }

  async #levelUp(
    tenant: Tenant,
    guildId: string,
    result: ActivityResult,
    channelId: string | null,
  ): Promise<void> {
    const { userId, level, roleRewards } = result;
    const granted: string[] = [];
    for (const roleId of roleRewards) {
      if (await this.#deps.grantRole(guildId, userId, roleId)) granted.push(roleId);
    }
    const { announce } = (await tenant.config()).levels;
    const target =
      announce.mode === 'channel' ? announce.channelId : announce.mode === 'same-channel' ? channelId : null;
    if (!target) return;
    const roles = granted.length ? ` You earned ${granted.map((r) => `<@&${r}>`).join(', ')}.` : '';
    await this.#deps
      .announce(target, `🎉 <@${userId}> reached **level ${level}**!${roles}`, userId)
      .catch((err: unknown) =>
        this.#deps.log.warn(
          { guildId, tenant: guildId, channelId: target, err },
          'could not announce a level-up',
        ),
      );
  }
}

/** A payload member's role ids (none when absent or malformed). */
function rolesOf(member: { roles?: unknown } | undefined): string[] {
  return Array.isArray(member?.roles)
    ? (member.roles as unknown[]).filter((r): r is string => typeof r === 'string')
    : [];
}

/** A voice state as the tracker reads it (GUILD_CREATE's carry no guild id: `guildId` gives it), or null. */
function voiceStateOf(d: unknown, guildId: string | null): VoiceStateInput | null {
  if (typeof d !== 'object' || d === null) return null;
  const v = d as {
    guild_id?: unknown;
    user_id?: unknown;
    channel_id?: unknown;
    deaf?: unknown;
    self_deaf?: unknown;
    member?: { roles?: unknown; user?: { bot?: unknown } };
  };
  const guild = guildId ?? v.guild_id;
  if (typeof guild !== 'string' || typeof v.user_id !== 'string' || !SNOWFLAKE.test(v.user_id)) return null;
  return {
    guildId: guild,
    userId: v.user_id,
    channelId: typeof v.channel_id === 'string' && SNOWFLAKE.test(v.channel_id) ? v.channel_id : null,
    deafened: v.deaf === true || v.self_deaf === true,
    bot: v.member?.user?.bot === true,
    roles: rolesOf(v.member),
  };
}

/** What a message inside its author's window earns: nothing (the SDK's own answer in that case). */
