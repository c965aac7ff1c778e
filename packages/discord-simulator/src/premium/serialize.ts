import type { APIEntitlement, APISKU } from 'discord-api-types/v10';
import type { EntitlementRecord, SkuRecord } from './store.js';

export function apiSku(sku: SkuRecord, applicationId: string): APISKU {
  return {
    id: sku.id,
    type: sku.type,
    application_id: applicationId,
    name: sku.name,
    slug: sku.slug,
    flags: sku.flags,
  };
}

export function apiEntitlement(e: EntitlementRecord, applicationId: string): APIEntitlement {
  return {
    id: e.id,
    sku_id: e.skuId,
    application_id: applicationId,
    ...(e.userId !== null && { user_id: e.userId }),
    ...(e.guildId !== null && { guild_id: e.guildId }),
    type: e.type,
    deleted: e.deleted,
    starts_at: e.startsAt === null ? null : new Date(e.startsAt).toISOString(),
    ends_at: e.endsAt === null ? null : new Date(e.endsAt).toISOString(),
    consumed: e.consumed,
  };
}
