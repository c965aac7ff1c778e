// The writer thread when the store runs from its TypeScript sources (the tests): compile them through
// tsx, as the test runner does, then start the real entry. The built package starts dist/writer-thread.js.
import { register } from 'tsx/esm/api';

register();
await import('./writer-thread.ts');
