import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './env.js';

export type { Logger } from 'pino';

/**
 * JSON lines on stdout (or `destination`), one object per event. Child loggers add the tenant,
 * guild, shard and interaction ids, so a single interaction can be followed across lines.
 */
export function createLogger(o: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  const options = {
    level: o.level ?? 'info',
    base: { service: 'guildmint-bot', pid: process.pid },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return o.destination ? pino(options, o.destination) : pino(options);
}
