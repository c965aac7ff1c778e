import { EntitlementOwnerType } from 'discord-api-types/v10';
import { z } from 'zod';
import type { SimContext } from '../../context.js';
import { httpErrors, invalidFormBody } from '../../errors.js';
import { apiEntitlement, apiSku } from '../../premium/serialize.js';
import { isSnowflake } from '../../snowflake.js';
import { formIssues } from '../../state/form-issues.js';
import type { Router } from '../router.js';

// Premium Apps over REST: List SKUs, List/Get Entitlements, Create/Delete Test Entitlement, Consume.

const snowflake = z.string().regex(/^\d{1,20}$/, 'Value "%s" is not snowflake.');
/** Discord's boolean query strings. */
const queryBoolean = z
  .enum(['true', 'false', 'True', 'False', '1', '0'])
  .transform((value) => value === 'true' || value === 'True' || value === '1');

const listQuery = z.object({
  user_id: snowflake.optional(),
  guild_id: snowflake.optional(),
  sku_ids: z
    .string()
    .regex(/^\d{1,20}(,\d{1,20})*$/, 'must be a comma-separated list of snowflakes')
    .optional(),
  before: snowflake.optional(),
  after: snowflake.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  exclude_ended: queryBoolean.optional(),
  exclude_deleted: queryBoolean.optional(),
});

const testEntitlementBody = z.object({
  sku_id: snowflake,
  owner_id: snowflake,
  owner_type: z.union([z.literal(EntitlementOwnerType.Guild), z.literal(EntitlementOwnerType.User)]),
});

export function monetizationRoutes(router: Router, ctx: SimContext): void {
  const appId = ctx.settings.applicationId;
  const ownApplication = (id: string) => {
    if (id !== appId) throw httpErrors.unknownApplication();
  };
  const entitlementOr404 = (id: string) => {
    const record = isSnowflake(id) ? ctx.premium.entitlement(id) : undefined;
    if (!record) throw httpErrors.unknownEntitlement();
    return record;
  };

  router.add('GET', '/applications/:applicationId/skus', ({ params }) => {
    ownApplication(params.applicationId);
    return { status: 200, body: ctx.premium.listSkus().map((sku) => apiSku(sku, appId)) };
  });

  router.add('GET', '/applications/:applicationId/entitlements', ({ params, query }) => {
    ownApplication(params.applicationId);
    const parsed = listQuery.safeParse(Object.fromEntries(query));
    if (!parsed.success) throw invalidFormBody(formIssues(parsed.error));
    const q = parsed.data;
    const found = ctx.premium.list({
      userId: q.user_id,
      guildId: q.guild_id,
      skuIds: q.sku_ids?.split(','),
      before: q.before,
      after: q.after,
      limit: q.limit,
      excludeEnded: q.exclude_ended,
      excludeDeleted: q.exclude_deleted,
    });
    return { status: 200, body: found.map((e) => apiEntitlement(e, appId)) };
  });

  // A deleted entitlement still answers here, with `deleted: true`: the list leaves it out by default.
  router.add('GET', '/applications/:applicationId/entitlements/:entitlementId', ({ params }) => {
    ownApplication(params.applicationId);
    return { status: 200, body: apiEntitlement(entitlementOr404(params.entitlementId), appId) };
  });

  router.add('POST', '/applications/:applicationId/entitlements', ({ params, body }) => {
    ownApplication(params.applicationId);
    const parsed = testEntitlementBody.safeParse(body.json);
    if (!parsed.success) throw invalidFormBody(formIssues(parsed.error));
    const { sku_id, owner_id, owner_type } = parsed.data;
    if (!ctx.premium.sku(sku_id)) throw httpErrors.unknownSku();
    const owner = owner_type === EntitlementOwnerType.Guild ? 'guild' : 'user';
    if (owner === 'guild' && !ctx.world.guilds.has(owner_id)) throw httpErrors.unknownGuild();
    if (owner === 'user' && !ctx.world.users.has(owner_id)) throw httpErrors.unknownUser();
    const created = ctx.premium.createTest({ skuId: sku_id, ownerId: owner_id, owner });
    if (!created) throw httpErrors.entitlementAlreadyGranted();
    // Discord answers with a partial entitlement: a test one has no dates.
    const { starts_at: _starts, ends_at: _ends, ...partial } = apiEntitlement(created, appId);
    return { status: 200, body: partial };
  });

  router.add('DELETE', '/applications/:applicationId/entitlements/:entitlementId', ({ params }) => {
    ownApplication(params.applicationId);
    const record = entitlementOr404(params.entitlementId);
    if (!record.test) throw httpErrors.onlySandboxEntitlements();
    if (record.deleted) throw httpErrors.unknownEntitlement();
    ctx.premium.delete(record.id);
    return { status: 204 };
  });

  router.add('POST', '/applications/:applicationId/entitlements/:entitlementId/consume', ({ params }) => {
    ownApplication(params.applicationId);
    const record = entitlementOr404(params.entitlementId);
    if (record.deleted) throw httpErrors.unknownEntitlement();
    if (!ctx.premium.consume(record.id)) throw httpErrors.invalidSku();
    return { status: 204 };
  });
}
