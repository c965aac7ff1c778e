import { describe, expect, it } from 'vitest';
import { RuntimeMetrics, serveHttp } from './metrics.js';

const health = () => ({ status: 'ready' as const, shards: [0], tenantsLoaded: 0, inFlight: 0 });

describe('metrics and health endpoint', () => {
  it('listens on loopback only unless told otherwise', async () => {
    const endpoint = await serveHttp({
      port: 0,
      metrics: new RuntimeMetrics({ defaultMetrics: false }),
      health,
    });
    try {
      expect(endpoint.host).toBe('127.0.0.1');
      expect((await fetch(`${endpoint.url}/healthz`)).status).toBe(200);
    } finally {
      await endpoint.close();
    }
  });

  it('listens where the operator says', async () => {
    const endpoint = await serveHttp({
      port: 0,
      host: '::1',
      metrics: new RuntimeMetrics({ defaultMetrics: false }),
      health,
    });
    try {
      expect(endpoint.host).toBe('::1');
      expect((await fetch(`${endpoint.url}/metrics`)).status).toBe(200);
    } finally {
      await endpoint.close();
    }
  });
});
