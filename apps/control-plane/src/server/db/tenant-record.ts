import type { PresetName } from '@guildmint/sdk';
import { presets } from '../sdk';
import type { TenantRecord } from './types';

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(presets, name);
}

/** A tenant row as the app sees it, whichever dialect it came from. */
export function toTenantRecord(row: {
  id: string;
  guildId: string;
  name: string;
  ownerUserId: string | null;
  preset: string;
  createdAt: Date;
}): TenantRecord {
  return {
    id: row.id,
    guildId: row.guildId,
    name: row.name,
    ownerUserId: row.ownerUserId,
    preset: isPresetName(row.preset) ? row.preset : 'classic',
    createdAt: row.createdAt,
  };
}
