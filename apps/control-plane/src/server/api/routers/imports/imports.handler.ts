import { TRPCError } from '@trpc/server';
import { ImportError } from '../../../import/errors';
import {
  csvSource,
  dryRun,
  type PagedSource,
  runImport,
  unbelievaBoatSource,
} from '../../../import/importer';
import { importJobs } from '../../../import/jobs';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { ImportSourceInput } from './imports.schema';

/** The source an owner named: UnbelievaBoat for this tenant's guild, or the uploaded CSV. */
async function sourceOf(ctx: TenantAdminContext, input: ImportSourceInput): Promise<PagedSource> {
  return refusals(async () => {
    if (input.source.kind === 'csv') return csvSource(input.source.text);
    const record = await ctx.services.platform.tenant(ctx.tenantId);
    return unbelievaBoatSource({
      token: input.source.token,
      guildId: record!.guildId,
      ...(ctx.services.unbelievaBoatUrl && { baseUrl: ctx.services.unbelievaBoatUrl }),
    });
  });
}

/** An import's refusal as the owner should read it (a CSV's problems with their line numbers). */
async function refusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    const issues = error.issues.length ? `: ${error.issues.join('; ')}` : '';
    throw new TRPCError({
      code: error.code === 'SOURCE_UNAUTHORIZED' ? 'UNAUTHORIZED' : 'BAD_REQUEST',
      message: `${error.message}${issues}`,
      cause: error,
    });
  }
}

/**
 * What the source holds, read to the end; nothing is written. `previous`: an earlier run of the same source
 * (the same CSV file, this guild's UnbelievaBoat), whose members an import credits no second time.
 */
export async function dryRunHandler({ ctx, input }: HandlerArgs<TenantAdminContext, ImportSourceInput>) {
  const source = await sourceOf(ctx, input);
  const [totals, previous] = await Promise.all([
    refusals(() => dryRun(source)),
    ctx.services.imports.get(ctx.tenantId, source.source, source.ref),
  ]);
  return {
    ...totals,
    previous: previous && { status: previous.status, updatedAt: previous.updatedAt },
  };
}

/** Starts the import in the background; the page follows it with `status`. */
export async function startHandler({ ctx, input }: HandlerArgs<TenantAdminContext, ImportSourceInput>) {
  const source = await sourceOf(ctx, input);
  const started = importJobs.start(ctx.tenantId, (onProgress) =>
    runImport({
      tenant: ctx.tenant,
      runs: ctx.services.imports,
      source,
      actor: ctx.actor,
      now: () => ctx.services.now(),
      onProgress,
    }),
  );
  if (!started)
    throw new TRPCError({ code: 'CONFLICT', message: 'an import is already running for this server' });
  return { started };
}

/** The import running in this process, if any, and every saved run of this tenant. */
export async function statusHandler({ ctx }: HandlerArgs<TenantAdminContext, unknown>) {
  return { job: importJobs.state(ctx.tenantId), runs: await ctx.services.imports.list(ctx.tenantId) };
}

/** Lets the export routes check the owner tier before they stream. */
export function exportAccessHandler() {
  return { ok: true as const };
}
