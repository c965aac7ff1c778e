// The writer thread when the store runs from its TypeScript sources (the tests): compile them through
// tsx's in-thread require hook (no loader thread to start, so the writer is up quickly), then start the
// real entry. The built package starts dist/writer-thread.js instead.
require('tsx/cjs/api').register();
require('./writer-thread.ts');
