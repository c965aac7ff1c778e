import type { NodeHandler } from './server/public-api/serve';

/**
 * Run by Next.js as its server starts. Under the production server (server.mjs), which asks for it, this
 * hands over API v1's handler: built here, it shares the server's modules and services. Under `next start`
 * and `next dev` nothing asks, and Next serves API v1 through its routes (src/pages/api/v1).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const take = (globalThis as Record<symbol, unknown>)[Symbol.for('guildmint.api-v1')];
  if (typeof take !== 'function') return;
  const { productionApiV1 } = await import('./server/public-api/serve');
  (take as (handler: NodeHandler) => void)(productionApiV1());
}
