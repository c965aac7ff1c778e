import type { EndpointDirectory, WebhookEndpoint } from '../../src/webhooks/index.js';

/** Endpoints in memory, with what the worker told about them. */
export class MemoryDirectory implements EndpointDirectory {
  readonly endpoints = new Map<string, WebhookEndpoint & { enabled: boolean; disabledReason?: string }>();

  add(endpoint: Omit<WebhookEndpoint, 'failingSince'> & { failingSince?: Date | null }): void {
    this.endpoints.set(endpoint.id, { failingSince: null, ...endpoint, enabled: true });
  }

  async enabled(tenant: string): Promise<WebhookEndpoint[]> {
    return [...this.endpoints.values()].filter((e) => e.tenant === tenant && e.enabled);
  }

  async byIds(ids: readonly string[]): Promise<Map<string, WebhookEndpoint>> {
    return new Map(
      ids.flatMap((id) => (this.endpoints.get(id)?.enabled ? [[id, this.endpoints.get(id)!]] : [])),
    );
  }

  async succeeded(endpoint: WebhookEndpoint): Promise<void> {
    this.endpoints.get(endpoint.id)!.failingSince = null;
  }

  async failed(endpoint: WebhookEndpoint, at: Date): Promise<void> {
    this.endpoints.get(endpoint.id)!.failingSince ??= at;
  }

  async disable(endpoint: WebhookEndpoint, reason: string): Promise<void> {
    Object.assign(this.endpoints.get(endpoint.id)!, { enabled: false, disabledReason: reason });
  }
}
