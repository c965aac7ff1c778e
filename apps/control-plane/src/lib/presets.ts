import type { PresetName } from '@guildmint/sdk';

/** The presets offered at onboarding, each with its one-line pitch. */
export const PRESET_CHOICES: ReadonlyArray<{ name: PresetName; title: string; pitch: string }> = [
  {
    name: 'classic',
    title: 'Classic',
    pitch: 'Balanced daily rewards, a small shop and every game at a modest house edge.',
  },
  {
    name: 'casino',
    title: 'Casino',
    pitch: 'Games first: high bet limits and thin faucets, so the tables are where the action is.',
  },
  {
    name: 'cozy',
    title: 'Cozy',
    pitch: 'No gambling at all: generous rewards and a shop people actually want to spend in.',
  },
];
