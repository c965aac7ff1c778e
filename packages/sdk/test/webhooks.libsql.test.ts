import { describe } from 'vitest';
import {
  describeSignatureInterop,
  describeWebhooksConformance,
  describeWorkerKill,
} from './conformance/webhooks.suite.js';
import { useStore } from './support/stores.js';

describeSignatureInterop();
describe('libSQL file', () => describeWebhooksConformance(useStore('libsql-file')));
describe('libSQL file, writer thread', () => describeWebhooksConformance(useStore('libsql-file-thread')));
describe('libSQL file, two processes', () => describeWorkerKill(useStore('libsql-file')));
