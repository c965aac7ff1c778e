import { ErrorCode, GuildmintError } from './errors.js';

/**
 * Loads a driver package (or the SDK module that imports it) the first time a call needs it, so that
 * importing the SDK loads none of them: a PostgreSQL-only app runs where libsql's native binary is
 * missing. One that cannot be loaded is STORE_UNAVAILABLE naming the package, never a raw module error.
 */
export async function loadDriver<T>(pkg: string, neededBy: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new GuildmintError(
      ErrorCode.STORE_UNAVAILABLE,
      `${neededBy} needs the package "${pkg}", which could not be loaded (${reason}); install it`,
      { cause: error },
    );
  }
}

/** A value loaded on first use: see `lazily`. */
export interface Lazy<T> {
  /** The value, loaded by the first call and shared by the others; after a failed load, the next call retries. */
  get(): Promise<T>;
  /** The value once a load already started settles; undefined if none started or it failed. Starts none. */
  loaded(): Promise<T | undefined>;
}

export function lazily<T>(load: () => Promise<T>): Lazy<T> {
  let pending: Promise<T> | undefined;
  return {
    get() {
      pending ??= load().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
    async loaded() {
      return pending?.catch(() => undefined);
    },
  };
}
