import { ErrorCode, GuildmintError } from '../errors.js';
import type { Clock } from './clock.js';
import { LibsqlStore } from './libsql/store.js';
import { PostgresStore } from './postgres/store.js';
import type { Store } from './types.js';

/** Opens the store a URL names: `file:`/`:memory:` → libSQL, `postgres://`/`postgresql://` → PostgreSQL. */
export function openStore(url: string, clock: Clock): Store {
  if (typeof url !== 'string' || url.length === 0) {
    throw new GuildmintError(ErrorCode.INVALID_INPUT, 'storage must be a URL string or a Store');
  }
  if (url === ':memory:' || url.startsWith('file:')) return new LibsqlStore({ url, clock });
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresStore({ url, clock });
  throw new GuildmintError(
    ErrorCode.INVALID_INPUT,
    `unsupported storage URL ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//…@'))}: use file:<path>, :memory: or postgres://…`,
  );
}
