'use client';

import type { PresetName } from '@guildmint/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '../../../../components/ui/button';
import { ErrorNote } from '../../../../components/ui/card';
import { PRESET_CHOICES } from '../../../../lib/presets';
import { describeError, useTRPC } from '../../../../trpc/react';

export function PresetPicker({ guildId }: { guildId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const guilds = useQuery(trpc.guilds.list.queryOptions());
  const guild = guilds.data?.find((g) => g.id === guildId);
  const [preset, setPreset] = useState<PresetName>('classic');
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: async ({ tenantId }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.guilds.list.queryKey() });
        router.push(`/t/${tenantId}/economy`);
      },
    }),
  );

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/guilds" className="text-brand-700 underline dark:text-brand-300">
            ← Your servers
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">
          Pick a starting economy{guild ? ` for ${guild.name}` : ''}
        </h1>
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          A preset is only a start: you can change every reward, price and game in the editor next.
        </p>
      </div>
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="sr-only">Preset</legend>
        {PRESET_CHOICES.map((choice) => (
          <label
            key={choice.name}
            className={`cursor-pointer rounded-xl border-2 bg-white p-4 shadow-sm dark:bg-slate-900 ${
              preset === choice.name ? 'border-brand-600' : 'border-slate-200 dark:border-slate-800'
            }`}
          >
            <input
              type="radio"
              name="preset"
              value={choice.name}
              checked={preset === choice.name}
              onChange={() => setPreset(choice.name)}
              className="accent-brand-600"
            />
            <span className="ml-2 font-semibold">{choice.title}</span>
            <span className="mt-2 block text-sm text-slate-600 dark:text-slate-300">{choice.pitch}</span>
          </label>
        ))}
      </fieldset>
      {create.isError ? <ErrorNote>{describeError(create.error).message}</ErrorNote> : null}
      <Button
        onClick={() => create.mutate({ guildId, preset })}
        disabled={create.isPending || create.isSuccess}
      >
        {create.isPending || create.isSuccess ? 'Creating…' : 'Create economy'}
      </Button>
    </div>
  );
}
