import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { OUT_DIR } from './build.js';

// Serves the built site (dist/) on loopback: `pnpm --filter @guildmint/docs dev`. PORT overrides 4321.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const port = Number(process.env.PORT ?? 4321);
const host = '127.0.0.1';

const server = createServer(async (req, res) => {
  try {
    const path = decodeURIComponent(new URL(req.url ?? '/', `http://${host}`).pathname);
    const relative = normalize(path.endsWith('/') ? `${path}index.html` : path).replace(/^([/\\])+/, '');
    const file = join(OUT_DIR, relative);
    // Never serve anything outside dist/.
    if (file !== OUT_DIR && !file.startsWith(OUT_DIR + sep))
      throw Object.assign(new Error(), { code: 'ENOENT' });
    if (!(await stat(file)).isFile()) throw Object.assign(new Error(), { code: 'ENOENT' });
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(await readFile(file));
  } catch (error) {
    const notFound = (error as { code?: string }).code === 'ENOENT' || error instanceof URIError;
    res.writeHead(notFound ? 404 : 500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(notFound ? 'Not found' : 'Internal error');
    if (!notFound) console.error(error);
  }
});

server.listen(port, host, () => console.log(`docs at http://${host}:${port}/ (Ctrl-C to stop)`));
