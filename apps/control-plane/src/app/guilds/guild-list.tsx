'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { Avatar } from '../../components/avatar';
import { buttonClass } from '../../components/ui/button';
import { Badge, Card, EmptyState, ErrorNote, Skeleton } from '../../components/ui/card';
import { describeError, useTRPC } from '../../trpc/react';

const POLL_MS = 2_000;

/** Polls the bot's presence in one guild after "Add bot" until the runtime reports it joined. */
function useBotJoined(guildId: string, waiting: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const presence = useQuery({
    ...trpc.guilds.presence.queryOptions({ guildId }),
    enabled: waiting,
    refetchInterval: (query) => (query.state.data?.installed ? false : POLL_MS),
  });
  const joined = presence.data?.installed === true;
  useEffect(() => {
    if (joined) void queryClient.invalidateQueries({ queryKey: trpc.guilds.list.queryKey() });
  }, [joined, queryClient, trpc]);
  return joined;
}

type Guild = {
  id: string;
  name: string;
  icon: string | null;
  installed: boolean;
  tenant: { id: string } | null;
  inviteUrl: string | null;
};

function GuildCard({ guild }: { guild: Guild }) {
  const [waiting, setWaiting] = useState(false);
  const joined = useBotJoined(guild.id, waiting && !guild.installed);
  const installed = guild.installed || joined;
  return (
    <Card className="flex flex-col gap-4">
      <div className="flex items-center gap-3">
        <Avatar name={guild.name} image={guild.icon} size={40} />
        <div className="min-w-0">
          <h2 className="truncate font-semibold">{guild.name}</h2>
          <div className="mt-1 flex gap-2">
            {installed ? <Badge tone="good">Bot installed</Badge> : <Badge>Bot not added</Badge>}
            {guild.tenant ? <Badge tone="good">Economy live</Badge> : null}
          </div>
        </div>
      </div>
      <div className="mt-auto flex flex-wrap items-center gap-2">
        {guild.tenant ? (
          <Link href={`/t/${guild.tenant.id}/economy`} className={buttonClass('primary')}>
            Open economy
          </Link>
        ) : installed ? (
          <Link href={`/guilds/${guild.id}/setup`} className={buttonClass('primary')}>
            Set up economy
          </Link>
        ) : guild.inviteUrl ? (
          <a
            href={guild.inviteUrl}
            target="_blank"
            rel="noopener noreferrer"
            onClick={() => setWaiting(true)}
            className={buttonClass('primary')}
          >
            Add bot<span className="sr-only"> to {guild.name} (opens Discord in a new tab)</span>
          </a>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Set DISCORD_APPLICATION_ID to invite the bot.
          </p>
        )}
        {!guild.tenant && !installed ? (
          <Link
            href={`/guilds/${guild.id}/setup`}
            className="text-sm text-brand-700 underline dark:text-brand-300"
          >
            or set up the economy first<span className="sr-only"> for {guild.name}</span>
          </Link>
        ) : null}
        {waiting && !installed ? (
          <span role="status" className="text-sm text-slate-600 dark:text-slate-300">
            Waiting for the bot to join…
          </span>
        ) : null}
      </div>
    </Card>
  );
}

export function GuildList() {
  const trpc = useTRPC();
  const guilds = useQuery(trpc.guilds.list.queryOptions());
  if (guilds.isPending) {
    return (
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-busy="true">
        <span className="sr-only" role="status">
          Loading your servers…
        </span>
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-36" />
        ))}
      </div>
    );
  }
  if (guilds.isError) return <ErrorNote>{describeError(guilds.error).message}</ErrorNote>;
  if (guilds.data.length === 0) {
    return (
      <EmptyState title="No servers to manage">
        You need the Manage Server permission on a Discord server to run its economy.
      </EmptyState>
    );
  }
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {guilds.data.map((guild) => (
        <li key={guild.id}>
          <GuildCard guild={guild} />
        </li>
      ))}
    </ul>
  );
}
