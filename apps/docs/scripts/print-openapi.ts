import { resolve } from 'node:path';
import { REPO_DIR } from './paths.js';

// Prints the control plane's OpenAPI document (made by its own code, as the server makes it) as JSON.
// Run with tsx from apps/control-plane (scripts/reference.ts does), so the control plane's own
// dependencies and settings apply; the path is computed so the docs' type-check stays out of that code.

const module = resolve(REPO_DIR, 'apps/control-plane/src/server/public-api/openapi.ts');
const { openApiDocument } = (await import(module)) as { openApiDocument(): unknown };
process.stdout.write(JSON.stringify(openApiDocument()));
