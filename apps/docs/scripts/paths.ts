import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the docs live. Pages stay at pages/<name>.md (other parts of the repository link to them there).

export const DOCS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PAGES_DIR = resolve(DOCS_DIR, 'pages');
/** Generated before each build, git-ignored: pages/reference/{sdk,http}/. */
export const REFERENCE_DIR = resolve(PAGES_DIR, 'reference');
export const OUT_DIR = resolve(DOCS_DIR, 'dist');
export const REPO_DIR = resolve(DOCS_DIR, '../..');
