import type { Economy, LotteryDraw } from '@guildmint/sdk';
import type { Logger } from 'pino';
import { formatAmount } from './format.js';

export interface LotteryDrawsDeps {
  economy: Economy;
  log: Logger;
  /** The guilds this process serves (its shards'): each draws in one process at a time, and a race is safe anyway. */
  guilds(): string[];
  announce(channelId: string, content: string): Promise<unknown>;
  onDrawn?(guildId: string, draw: LotteryDraw): void;
}

/**
 * Draws every lottery round whose time has come, in the guilds with the lottery on (the periodic sweep
 * runs it; the clock is the economy's). Two processes reaching a draw together is safe: the SDK pays a
 * round once and the other gets the same draw back, marked replayed, which is not announced again.
 */
export class LotteryDraws {
  readonly #deps: LotteryDrawsDeps;

  constructor(deps: LotteryDrawsDeps) {
    this.#deps = deps;
  }

  async run(): Promise<void> {
    for (const guildId of this.#deps.guilds()) {
      try {
        const tenant = this.#deps.economy.tenant(guildId);
        const { lottery, currency } = await tenant.config();
        if (!lottery.enabled) continue;
        for (const draw of await tenant.lottery.drawDue()) {
          this.#deps.onDrawn?.(guildId, draw);
          if (draw.replayed || lottery.announceChannelId === null) continue;
          const text = draw.winnerId
            ? `🎰 Lottery round ${draw.round}: <@${draw.winnerId}> wins **${formatAmount(draw.prize, currency)}** with ticket #${draw.winningTicket} of ${draw.totalTickets}! Check it with \`/lottery verify round:${draw.round}\`.`
            : `🎰 Lottery round ${draw.round}: no tickets were sold.`;
          await this.#deps
            .announce(lottery.announceChannelId, text)
            .catch((err: unknown) =>
              this.#deps.log.warn({ guildId, tenant: guildId, err }, 'could not announce a lottery draw'),
            );
        }
      } catch (err) {
        this.#deps.log.warn(
          { guildId, tenant: guildId, err },
          'lottery draw failed; retried on the next sweep',
        );
      }
    }
  }
}
