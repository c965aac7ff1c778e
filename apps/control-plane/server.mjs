// The control plane's production server (`pnpm start`): Next.js, except that API v1 is answered before
// Next's router sees it. Next's own path for an API request (routing, header rules, the route module's
// preparation) cost ≈ 1 ms of CPU, several times API v1's own work: see README.md, "Benchmark".
// Usage: node server.mjs [--port 3000] [--hostname HOST]
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// As `next start` does (production React and Next unless NODE_ENV says otherwise), before Next is loaded.
process.env.NODE_ENV ||= 'production';
const { default: next } = await import('next');

const { values } = parseArgs({
  options: {
    port: { type: 'string', short: 'p', default: process.env.PORT ?? '3000' },
    // Default: every interface, IPv6 and IPv4, as `next start`. Not $HOSTNAME: shells and containers set it
    // to the machine's name.
    hostname: { type: 'string', short: 'H' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port: not a port: ${values.port}`);
  process.exit(2);
}

// src/instrumentation.ts, which Next runs as it prepares, hands API v1's handler over through this.
const offered = new Promise((resolve) => {
  globalThis[Symbol.for('guildmint.api-v1')] = resolve;
});
const app = next({
  dev: false,
  dir: fileURLToPath(new URL('.', import.meta.url)),
  hostname: values.hostname ?? 'localhost',
  port,
});
const nextHandler = app.getRequestHandler();
await app.prepare();
let timer;
const apiV1 = await Promise.race([
  offered,
  new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('src/instrumentation.ts did not hand over API v1 within 30 s')),
      30_000,
    );
  }),
]);
clearTimeout(timer);

const server = createServer((req, res) => {
  if (req.url?.startsWith('/api/v1/')) apiV1(req, res);
  else nextHandler(req, res);
});
server.listen(port, values.hostname, () =>
  console.log(
    `✓ Ready on http://${values.hostname ?? 'localhost'}:${port} (API v1 answered before Next's router)`,
  ),
);

for (const signal of ['SIGTERM', 'SIGINT'])
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
    process.exit(0);
  });
