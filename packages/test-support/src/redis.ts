import { connect } from 'node:net';
import { servicesRequired, warnSkipping } from './required.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let available: Promise<boolean> | undefined;

/** Is Redis reachable (a PING answered)? Same rules as PostgreSQL: required under CI, a loud skip elsewhere. */
export function redisAvailable(): Promise<boolean> {
  available ??= (async () => {
    const url = new URL(REDIS_URL);
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(url.port || 6379), url.hostname);
        socket.setTimeout(3000, () => socket.destroy(new Error('timed out')));
        socket.once('error', reject);
        socket.once('connect', () => socket.write('PING\r\n'));
        socket.once('data', (data) => {
          socket.destroy();
          if (data.toString().startsWith('+PONG')) resolve();
          else reject(new Error(`unexpected answer ${JSON.stringify(data.toString())}`));
        });
      });
      return true;
    } catch (error) {
      if (servicesRequired)
        throw new Error(`Redis is required (CI) but not reachable at ${REDIS_URL}: ${error}`);
      warnSkipping('Redis', REDIS_URL, error, 'Start it or set REDIS_URL.');
      return false;
    }
  })();
  return available;
}
