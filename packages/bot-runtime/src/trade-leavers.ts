import type { Economy } from '@guildmint/sdk';
import { DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { Logger } from 'pino';

/** Whether a user is in a guild now. */
export type IsMember = (guildId: string, userId: string) => Promise<boolean>;

/**
 * Asks Discord, every time, whether the user is still in the guild: `GET /guilds/{guild}/members/{user}`
 * needs no intent (seeing members leave needs the privileged Server Members one, which we never ask for).
 * Unknown Member (or Unknown User) means gone; any other failure throws, so a REST outage never reads as
 * "everyone left".
 */
export function memberOverRest(rest: REST): IsMember {
  return async (guildId, userId) => {
    try {
      await rest.get(Routes.guildMember(guildId, userId));
      return true;
    } catch (error) {
      if (
        error instanceof DiscordAPIError &&
        (error.code === RESTJSONErrorCodes.UnknownMember || error.code === RESTJSONErrorCodes.UnknownUser)
      )
        return false;
      throw error;
    }
  };
}

/**
 * Which side of a trade has left the guild (the proposer first), or null when both are in it. The two are
 * asked at once; the answer is Discord's at this moment, never a cache.
 */
export async function tradeLeaver(
  isMember: (userId: string) => Promise<boolean>,
  trade: { from: string; to: string },
): Promise<string | null> {
  const [from, to] = await Promise.all([isMember(trade.from), isMember(trade.to)]);
  return !from ? trade.from : !to ? trade.to : null;
}

export interface TradeLeaversDeps {
  economy: Economy;
  log: Logger;
  /** The guilds this process serves (its shards'). */
  guilds(): string[];
  isMember: IsMember;
  /** A member was found gone and their open trades were called off (`count`: how many this call closed). */
  onAbandoned?(guildId: string, userId: string, count: number): void;
}

/**
 * The periodic sweep's part for trades: in each guild with trades on, every member of an open trade is
 * checked over REST, and the trades of one who left are called off, their escrow back to the proposer.
 * Safe against an accept (or another process) at the same moment: the SDK closes a trade once, by its
 * version, and the loser finds it closed.
 */
export class TradeLeavers {
  readonly #deps: TradeLeaversDeps;

  constructor(deps: TradeLeaversDeps) {
    this.#deps = deps;
  }

  async run(): Promise<void> {
    for (const guildId of this.#deps.guilds()) {
      try {
        const tenant = this.#deps.economy.tenant(guildId);
        if (!(await tenant.config()).trades.enabled) continue;
        const members = new Set((await tenant.openTrades()).flatMap((t) => [t.from, t.to]));
        for (const userId of members) {
          if (await this.#deps.isMember(guildId, userId)) continue;
          const count = await tenant.abandonTrades(userId);
          if (count > 0)
            this.#deps.log.info(
              { guildId, tenant: guildId, userId, count },
              'trades of a member who left called off',
            );
          this.#deps.onAbandoned?.(guildId, userId, count);
        }
      } catch (err) {
        this.#deps.log.warn(
          { guildId, tenant: guildId, err },
          'checking trade members failed; retried on the next sweep',
        );
      }
    }
  }
}
