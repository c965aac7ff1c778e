/**
 * Who earns voice minutes, from VOICE_STATE_UPDATE alone: a member earns while in a voice channel with at
 * least one other human who is not deafened, and not deafened themselves (by themselves or a moderator). Pure bookkeeping: it says
 * which periods to pay (member, period id, whole minutes); the caller pays them through the SDK, which pays
 * each period id once. One tracker per process; each guild's voice states arrive only to the shard that
 * owns it, so no two processes track one member. `presence` and `resume` carry it across a restart (see
 * `resume` for the rule).
 */

import type { VoicePresence, VoiceSession } from '@guildmint/sdk';

export interface VoiceStateInput {
  guildId: string;
  userId: string;
  /** null: left voice. */
  channelId: string | null;
  deafened: boolean;
  bot: boolean;
  roles: readonly string[];
}

/** A period to pay: whole minutes of earning since `startedAt`. */
export interface VoicePeriod {
  guildId: string;
  userId: string;
  periodId: string;
  minutes: number;
  roles: readonly string[];
}

interface Presence {
  channelId: string;
  deafened: boolean;
  bot: boolean;
  roles: readonly string[];
  /** When the current period began (its id), and the earning time it holds so far. */
  periodStart: number;
  earnedMs: number;
  /** Since when the member has been earning; null while not earning. */
  earningSince: number | null;
}

const MINUTE = 60_000;

export class VoiceTracker {
  /** guild → member → where they are. */
  readonly #guilds = new Map<string, Map<string, Presence>>();

  /** Applies one voice state; returns the periods it ends (members who left or moved channel). */
  update(state: VoiceStateInput, now: number): VoicePeriod[] {
    let members = this.#guilds.get(state.guildId);
    if (!members) {
      members = new Map();
      this.#guilds.set(state.guildId, members);
    }
    const before = members.get(state.userId);
    const ended: VoicePeriod[] = [];
    const touched = new Set<string>();
    if (before) {
      touched.add(before.channelId);
      if (before.channelId !== state.channelId) {
        this.#stop(before, now);
        const period = periodOf(state.guildId, state.userId, before);
        if (period) ended.push(period);
        members.delete(state.userId);
      }
    }
    if (state.channelId !== null) {
      touched.add(state.channelId);
      const current = members.get(state.userId);
      if (current) {
        current.deafened = state.deafened;
        current.roles = state.roles;
      } else {
        members.set(state.userId, arrived(state.channelId, state, now));
      }
    }
    for (const channelId of touched) this.#refresh(members, channelId, now);
    if (members.size === 0) this.#guilds.delete(state.guildId);
    return ended;
  }

  /**
   * Closes every period holding at least `minMinutes` (members staying for hours are paid as they go), in
   * one guild or all.
   */
  settle(now: number, minMinutes = 1, onlyGuild?: string): VoicePeriod[] {
    const due: VoicePeriod[] = [];
    for (const [guildId, members] of this.#guilds) {
      if (onlyGuild !== undefined && guildId !== onlyGuild) continue;
      for (const [userId, presence] of members) {
        const earning = presence.earningSince;
        const earned = presence.earnedMs + (earning === null ? 0 : now - earning);
        if (earned < minMinutes * MINUTE) continue;
        const minutes = Math.floor(earned / MINUTE);
        due.push({
          guildId,
          userId,
          periodId: periodIdOf(userId, presence.periodStart),
          minutes,
          roles: presence.roles,
        });
        // The new period carries the part minute over.
        presence.periodStart = now;
        presence.earnedMs = earned - minutes * MINUTE;
        if (earning !== null) presence.earningSince = now;
      }
    }
    return due;
  }

  /** The guilds with someone in voice. */
  guilds(): string[] {
    return [...this.#guilds.keys()];
  }

  /** Who is in voice in a guild, or in one of its channels. */
  members(guildId: string, channelId?: string | null): string[] {
    const members = this.#guilds.get(guildId);
    if (!members) return [];
    return [...members]
      .filter(([, p]) => channelId === undefined || p.channelId === channelId)
      .map(([id]) => id);
  }

  /** Where the member is, or null when not in voice. */
  channelOf(guildId: string, userId: string): string | null {
    return this.#guilds.get(guildId)?.get(userId)?.channelId ?? null;
  }

  /** A member's presence as it can be saved (null: not in voice). */
  presence(guildId: string, userId: string): VoicePresence | null {
    const p = this.#guilds.get(guildId)?.get(userId);
    return p ? { ...p, roles: [...p.roles] } : null;
  }

  /**
   * Picks a guild up after a restart, from the sessions the previous process saved and the voice states the
   * gateway sends now (GUILD_CREATE). The rule: what the bot last saw is taken to have held until now for a
   * member the gateway shows still in the same channel (their open period goes on, earning through the
   * downtime if they were earning); a member gone (or moved) is paid up to the moment it was last saved,
   * never beyond; someone new starts now. The fresh states then decide who earns from now on. Returns the
   * periods to pay (of the members gone).
   */
  resume(
    guildId: string,
    saved: ReadonlyArray<{ userId: string; session: VoiceSession }>,
    current: readonly VoiceStateInput[],
    now: number,
  ): VoicePeriod[] {
    const members = new Map<string, Presence>();
    const here = new Map(current.filter((s) => s.channelId !== null).map((s) => [s.userId, s]));
    const ended: VoicePeriod[] = [];
    for (const { userId, session } of saved) {
      const p = session.presence;
      if (p === null) continue;
      const still = here.get(userId);
      if (still && still.channelId === p.channelId) {
        members.set(userId, {
          ...p,
          deafened: still.deafened,
          roles: still.roles.length ? still.roles : p.roles,
        });
        continue;
      }
      const seen: Presence = { ...p };
      this.#stop(seen, Math.max(session.savedAt, p.earningSince ?? 0));
      const period = periodOf(guildId, userId, seen);
      if (period) ended.push(period);
    }
    for (const [userId, state] of here) {
      if (members.has(userId)) continue;
      members.set(userId, arrived(state.channelId!, state, now));
    }
    if (members.size === 0) this.#guilds.delete(guildId);
    else this.#guilds.set(guildId, members);
    for (const channelId of new Set([...members.values()].map((m) => m.channelId)))
      this.#refresh(members, channelId, now);
    return ended;
  }

  /** Members tracked (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const members of this.#guilds.values()) n += members.size;
    return n;
  }

  /** Starts or stops the earning of everyone in one channel after a change there. */
  #refresh(members: Map<string, Presence>, channelId: string, now: number): void {
    const here = [...members.values()].filter((m) => m.channelId === channelId);
    // Company is another human who can hear: a deafened alt parked beside a member is no one to talk to.
    const listening = here.filter((m) => !m.bot && !m.deafened).length;
    for (const member of here) {
      const earns = !member.bot && !member.deafened && listening >= 2;
      if (earns && member.earningSince === null) member.earningSince = now;
      if (!earns) this.#stop(member, now);
    }
  }

  #stop(presence: Presence, now: number): void {
    if (presence.earningSince === null) return;
    presence.earnedMs += now - presence.earningSince;
    presence.earningSince = null;
  }
}

/** A member who just came into a channel: a new period from `now`, not earning until refreshed. */
function arrived(channelId: string, state: VoiceStateInput, now: number): Presence {
  return {
    channelId,
    deafened: state.deafened,
    bot: state.bot,
    roles: state.roles,
    periodStart: now,
    earnedMs: 0,
    earningSince: null,
  };
}

function periodIdOf(userId: string, start: number): string {
  return `${userId}-${start}`;
}

function periodOf(guildId: string, userId: string, p: Presence): VoicePeriod | null {
  const minutes = Math.floor(p.earnedMs / MINUTE);
  return minutes > 0
    ? { guildId, userId, periodId: periodIdOf(userId, p.periodStart), minutes, roles: p.roles }
    : null;
}
