/**
 * Who earns voice minutes, from VOICE_STATE_UPDATE alone: a member earns while in a voice channel with at
 * least one other human who is not deafened, and not deafened themselves (by themselves or a moderator). Pure bookkeeping: it says
 * which periods to pay (member, period id, whole minutes); the caller pays them through the SDK, which pays
 * each period id once. One tracker per process; each guild's voice states arrive only to the shard that
 * owns it, so no two processes track one member.
 */

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
        members.set(state.userId, {
          channelId: state.channelId,
          deafened: state.deafened,
          bot: state.bot,
          roles: state.roles,
          periodStart: now,
          earnedMs: 0,
          earningSince: null,
        });
      }
    }
    for (const channelId of touched) this.#refresh(members, channelId, now);
    if (members.size === 0) this.#guilds.delete(state.guildId);
    return ended;
  }

  /** Closes every period holding at least `minMinutes` (members staying for hours are paid as they go). */
  settle(now: number, minMinutes = 1): VoicePeriod[] {
    const due: VoicePeriod[] = [];
    for (const [guildId, members] of this.#guilds) {
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

function periodIdOf(userId: string, start: number): string {
  return `${userId}-${start}`;
}

function periodOf(guildId: string, userId: string, p: Presence): VoicePeriod | null {
  const minutes = Math.floor(p.earnedMs / MINUTE);
  return minutes > 0
    ? { guildId, userId, periodId: periodIdOf(userId, p.periodStart), minutes, roles: p.roles }
    : null;
}
