import { createServer as createNetServer } from 'node:net';
import { createServer } from 'vitepress';
import { DOCS_DIR } from './paths.js';
import { generateReferences } from './reference.js';

// `pnpm --filter @guildmint/docs dev`: the references, then VitePress's dev server on loopback, which reloads a
// page as it is edited (restart to regenerate the references). PORT overrides 4321; PORT=0 takes a free port.

/** A port nothing listens on now (Vite reads port 0 as "its default", not as "any"). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

await generateReferences();
const requested = Number(process.env.PORT ?? 4321);
const port = requested === 0 ? await freePort() : requested;
const server = await createServer(DOCS_DIR, { host: '127.0.0.1', port, strictPort: true });
await server.listen();
server.printUrls();
