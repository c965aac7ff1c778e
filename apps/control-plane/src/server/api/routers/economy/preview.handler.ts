import { checkConfig } from '../../../economy/config-input';
import { previewConfig } from '../../../economy/preview';
import type { TenantAdminContext } from '../../../procedures/tenant-admin';
import type { HandlerArgs } from '../types';
import type { PreviewInput } from './preview.schema';

/**
 * Validates a draft with the SDK's schema and says what it would do: every problem with its path
 * (the editor puts each next to its field), or the emission and RTP preview.
 */
export async function previewHandler({ input }: HandlerArgs<TenantAdminContext, PreviewInput>) {
  const checked = checkConfig(input.draft);
  if (!checked.ok) return { ok: false as const, issues: checked.issues };
  return { ok: true as const, config: checked.config, preview: previewConfig(checked.config) };
}
