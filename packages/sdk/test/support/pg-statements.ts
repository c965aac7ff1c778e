import pg from 'pg';

/**
 * What `work` returns, and the text of every statement pg clients sent while it ran that contains `fragment`:
 * the real driver, instrumented (the statements still run against the real database).
 */
export async function statementsDuring<T>(
  fragment: string,
  work: () => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string } | undefined;
    const text = typeof config === 'string' ? config : (config?.text ?? '');
    if (text.includes(fragment)) statements.push(text);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
  try {
    return { result: await work(), statements };
  } finally {
    pg.Client.prototype.query = query;
  }
}
