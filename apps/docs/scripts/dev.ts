import { createServer } from 'vitepress';
import { DOCS_DIR } from './paths.js';
import { generateReferences } from './reference.js';

// `pnpm --filter @guildmint/docs dev`: the references, then VitePress's dev server (loopback; PORT, default
// 4321), which reloads a page as it is edited. Regenerate the references by restarting.

await generateReferences();
const server = await createServer(DOCS_DIR, { host: '127.0.0.1', port: Number(process.env.PORT ?? 4321) });
await server.listen();
server.printUrls();
