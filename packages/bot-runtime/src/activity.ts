import { type ActivityResult, type Economy, noActivityReward, type Tenant } from '@guildmint/sdk';
import type { Logger } from 'pino';
import { type VoicePeriod, VoiceTracker } from './activity-voice.js';
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
  const roles = Array.isArray(m.member?.roles)
    ? (m.member.roles as unknown[]).filter((r): r is string => typeof r === 'string')
    : [];
  return { guildId, channelId, messageId: id, userId, roles };
}

export class ActivityHandler {
  readonly #deps: ActivityDeps;
  readonly #voice = new VoiceTracker();
  readonly #pending = new Set<Promise<void>>();

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

  /** One VOICE_STATE_UPDATE payload: periods that end are paid. */
  onVoiceState(d: unknown): void {
    if (typeof d !== 'object' || d === null) return;
    const v = d as {
      guild_id?: unknown;
      user_id?: unknown;
      channel_id?: unknown;
      deaf?: unknown;
      self_deaf?: unknown;
      member?: { roles?: unknown; user?: { bot?: unknown } };
    };
    if (typeof v.guild_id !== 'string' || typeof v.user_id !== 'string' || !SNOWFLAKE.test(v.user_id)) return;
    const ended = this.#voice.update(
      {
        guildId: v.guild_id,
        userId: v.user_id,
        channelId: typeof v.channel_id === 'string' ? v.channel_id : null,
        deafened: v.deaf === true || v.self_deaf === true,
        bot: v.member?.user?.bot === true,
        roles: Array.isArray(v.member?.roles) ? (v.member.roles as string[]) : [],
      },
      this.#deps.now(),
    );
    for (const period of ended) this.#payVoice(period);
  }

  /** Pays the voice minutes of members still in a channel (the periodic sweep). */
  settleVoice(): void {
    for (const period of this.#voice.settle(this.#deps.now(), 10)) this.#payVoice(period);
  }

  /** Resolves when every reward started so far has settled. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  #payVoice(p: VoicePeriod): void {
    const tenant = this.#deps.economy.tenant(p.guildId);
    this.#track(
      p.guildId,
      tenant.levels
        .voice({ userId: p.userId, periodId: p.periodId, minutes: p.minutes, roles: p.roles })
        .then((result) => this.#settled(tenant, p.guildId, result, null)),
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

/** What a message inside its author's window earns: nothing (the SDK's own answer in that case). */
