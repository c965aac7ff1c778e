// A delivery worker in a process of its own, for the kill -9 test: one endpoint, rounds until killed.
import { LibsqlStore } from '../../src/stores/libsql/store.js';
import { PostgresStore } from '../../src/stores/postgres/store.js';
import { WebhookWorker } from '../../src/webhooks/index.js';
import { say } from '../conformance/concurrency-child.js';
import { MemoryDirectory } from './directory.js';

const config = JSON.parse(process.argv[2]!) as {
  url: string;
  tenant: string;
  endpoint: string;
  secret: string;
};
const store = config.url.startsWith('postgres')
  ? new PostgresStore({ url: config.url })
  : new LibsqlStore({ url: config.url });
const directory = new MemoryDirectory();
directory.add({
  id: 'ep_kill',
  tenant: config.tenant,
  url: config.endpoint,
  secrets: [config.secret],
  eventTypes: [],
});
// Its lease is twice this timeout (20 s): the test moves the next worker's clock past it.
const worker = new WebhookWorker({
  store,
  endpoints: directory,
  allowLoopback: true,
  timeoutMs: 10_000,
  leaseMs: 20_000,
  pollMs: 20,
});
worker.start();
say({ t: 'started' });
