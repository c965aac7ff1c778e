'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatUnits } from '../../lib/money';
import type { ConfigPreview } from '../../server/economy/preview';
import { describeError, useTRPC } from '../../trpc/react';
import { Button } from '../ui/button';
import { ErrorNote, Spinner } from '../ui/card';
import type { Draft } from './context';
import { SimulationChart } from './simulation-chart';

const GAME_TITLES: Record<string, string> = {
  coinflip: 'Coinflip',
  dice: 'Dice',
  slots: 'Slots',
  roulette: 'Roulette',
  blackjack: 'Blackjack',
};

function perDay(value: number | null, decimals: number, symbol: string): string {
  if (value === null) return 'unbounded';
  return `${symbol} ${formatUnits(Math.round(value), decimals)}`;
}

/** What the draft implies: emission per member, each game's RTP, and (on request) 30 simulated days. */
export function PreviewPanel({
  tenantId,
  preview,
  valid,
  draft,
}: {
  tenantId: string;
  preview: ConfigPreview | null;
  valid: boolean;
  draft: Draft;
}) {
  const trpc = useTRPC();
  const decimals = draft.currency?.decimals ?? 0;
  const symbol = draft.currency?.symbol ?? '';
  const [members, setMembers] = useState(50);
  const [requested, setRequested] = useState<{ config: Draft; members: number } | null>(null);
  const simulation = useQuery({
    ...trpc.economy.simulate.queryOptions({
      tenantId,
      config: requested?.config ?? draft,
      members: requested?.members ?? members,
    }),
    enabled: requested !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const stale = requested !== null && JSON.stringify(requested.config) !== JSON.stringify(draft);

  return (
    <div className="space-y-5">
      <div>
        <h2 className="text-lg font-semibold">Preview</h2>
        {!valid ? (
          <p className="text-sm text-red-700 dark:text-red-300">Fix the problems to see the preview.</p>
        ) : null}
      </div>
      {preview ? (
        <>
          <section aria-labelledby="emission-heading">
            <h3
              id="emission-heading"
              className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300"
            >
              Daily emission
            </h3>
            <p className="mt-1 text-2xl font-bold" data-testid="emission-per-member">
              {perDay(preview.perMemberPerDay, decimals, symbol)}
            </p>
            <p className="text-xs text-slate-600 dark:text-slate-400">
              at most, per active member per day (claiming whenever allowed; streak bonuses and events on top)
            </p>
            <table className="mt-3 w-full text-sm">
              <caption className="sr-only">Emission per reward</caption>
              <thead>
                <tr className="text-left text-slate-600 dark:text-slate-300">
                  <th scope="col" className="font-medium">
                    Reward
                  </th>
                  <th scope="col" className="text-right font-medium">
                    Claims/day
                  </th>
                  <th scope="col" className="text-right font-medium">
                    Per member/day
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.faucets.map((f) => (
                  <tr key={f.faucet} className={f.enabled ? '' : 'text-slate-500 line-through'}>
                    <td>/{f.faucet}</td>
                    <td className="text-right">
                      {f.claimsPerDay === null ? '∞' : f.claimsPerDay.toFixed(1)}
                    </td>
                    <td className="text-right">{perDay(f.perMemberPerDay, decimals, symbol)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {preview.dailyBudget !== null ? (
              <p className="mt-2 text-sm">
                Budget for everyone together: {perDay(preview.dailyBudget, decimals, symbol)} a day.
              </p>
            ) : null}
          </section>
          <section aria-labelledby="rtp-heading">
            <h3
              id="rtp-heading"
              className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300"
            >
              Return to player
            </h3>
            {preview.games.length === 0 ? (
              <p className="mt-1 text-sm">No games offered.</p>
            ) : (
              <ul className="mt-2 space-y-1 text-sm">
                {preview.games.map((g) => (
                  <li key={g.game}>
                    <div className="flex justify-between gap-2">
                      <span>
                        {GAME_TITLES[g.game] ?? g.game}
                        {g.enabled ? '' : ' (closed)'}
                      </span>
                      <span className={g.rtp > 1 ? 'font-semibold text-red-700 dark:text-red-300' : ''}>
                        {(g.rtp * 100).toFixed(2)} %{g.rtp > 1 ? ' — the house loses' : ''}
                      </span>
                    </div>
                    {g.cappedFromBet !== null && g.maxPayout !== null ? (
                      <p className="text-xs text-slate-600 dark:text-slate-300">
                        From a bet of {symbol} {formatUnits(g.cappedFromBet, decimals)}, the longest-odds wins
                        would pay more than the most one round pays ({symbol}{' '}
                        {formatUnits(g.maxPayout, decimals)}), so those bets return less.
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            <p className="mt-2 text-xs text-slate-600 dark:text-slate-300">
              Exact at every bet: payouts are rounded to whole units without favouring either side.
            </p>
          </section>
          {preview.texts.length > 0 ? (
            <section aria-labelledby="texts-heading">
              <h3
                id="texts-heading"
                className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300"
              >
                Reply texts
              </h3>
              <ul className="mt-2 space-y-1 text-sm">
                {preview.texts.map((t) => (
                  <li key={t.key}>
                    <span className="text-slate-600 dark:text-slate-300">{t.key}: </span>
                    {t.text}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
      <section aria-labelledby="sim-heading" className="space-y-2">
        <h3
          id="sim-heading"
          className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300"
        >
          30-day simulation
        </h3>
        <div className="flex items-end gap-2">
          <label className="text-sm">
            <span className="block font-medium">Members</span>
            <select
              value={members}
              onChange={(e) => setMembers(Number(e.target.value))}
              className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950"
            >
              {[25, 50, 100, 200].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <Button
            variant="secondary"
            disabled={!valid || simulation.isFetching}
            onClick={() => setRequested({ config: draft, members })}
          >
            {requested ? 'Run again' : 'Simulate'}
          </Button>
        </div>
        {simulation.isFetching ? <Spinner label="Simulating 30 days" /> : null}
        {simulation.isError ? <ErrorNote>{describeError(simulation.error).message}</ErrorNote> : null}
        {simulation.data && !simulation.isFetching ? (
          <>
            {stale ? (
              <p className="text-xs text-amber-800 dark:text-amber-200">The draft changed since this run.</p>
            ) : null}
            <SimulationChart days={simulation.data.days} decimals={decimals} symbol={symbol} />
          </>
        ) : null}
        {!requested ? (
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Runs the draft on a simulated community (every coin through a real ledger) for 30 days.
          </p>
        ) : null}
      </section>
    </div>
  );
}
