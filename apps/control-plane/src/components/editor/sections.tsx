'use client';

import type { GameName } from '@guildmint/sdk';
import { Checkbox } from '../ui/field';
import { useEditor } from './context';
import {
  AddKeyed,
  AmountField,
  ChoiceField,
  Entry,
  Grid,
  humanSeconds,
  IdListField,
  IntField,
  JsonField,
  PercentField,
  Section,
  StringField,
  ToggleField,
} from './fields';

const TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
];

export function GeneralSection() {
  return (
    <Section title="Currency and basics" path={['currency']}>
      <Grid>
        <StringField path={['currency', 'name']} label="Currency name" />
        <StringField path={['currency', 'symbol']} label="Symbol" hint="An emoji or a short sign." />
        <IntField path={['currency', 'decimals']} label="Decimal places" hint="0 for whole coins." />
        <StringField path={['name']} label="Economy name" optional />
        <StringField
          path={['timeZone']}
          label="Time zone"
          hint={`Days, streaks and daily caps follow it. For example: ${TIME_ZONES.slice(1, 4).join(', ')}.`}
        />
        <ToggleField
          path={['publicLeaderboard']}
          label="Public leaderboard page"
          hint="Anyone with the link sees the richest members' names, avatars and balances (no login); /leaderboard links to it."
        />
      </Grid>
    </Section>
  );
}

export function FaucetsSection() {
  const { draft, set } = useEditor();
  const faucets = draft.faucets ?? {};
  const streaks = Object.keys(draft.streaks ?? {});
  return (
    <Section title="Rewards (faucets)" path={['faucets']}>
      <div className="space-y-4">
        {Object.entries(faucets).map(([name, faucet]) => {
          const ranged = faucet.reward && 'min' in faucet.reward;
          return (
            <Entry key={name} title={`/${name}`} onRemove={() => set(['faucets', name], undefined)}>
              <div className="space-y-4">
                <Grid>
                  <ToggleField path={['faucets', name, 'enabled']} label="Enabled" />
                  <StringField path={['faucets', name, 'description']} label="Description" optional />
                  <Checkbox
                    label="Random amount in a range"
                    checked={Boolean(ranged)}
                    onChange={(v) => {
                      const base =
                        faucet.reward && 'fixed' in faucet.reward
                          ? faucet.reward.fixed
                          : (faucet.reward?.min ?? 100);
                      set(['faucets', name, 'reward'], v ? { min: base, max: base * 2 } : { fixed: base });
                    }}
                  />
                </Grid>
                <Grid>
                  {ranged ? (
                    <>
                      <AmountField path={['faucets', name, 'reward', 'min']} label="Reward from" />
                      <AmountField path={['faucets', name, 'reward', 'max']} label="Reward up to" />
                    </>
                  ) : (
                    <AmountField path={['faucets', name, 'reward', 'fixed']} label="Reward" />
                  )}
                  <IntField
                    path={['faucets', name, 'cooldownSeconds']}
                    label="Cooldown"
                    suffix="seconds"
                    hint={
                      humanSeconds(faucet.cooldownSeconds)
                        ? `= ${humanSeconds(faucet.cooldownSeconds)}`
                        : 'No cooldown.'
                    }
                  />
                  <IntField
                    path={['faucets', name, 'dailyCap']}
                    label="Claims per day at most"
                    hint="Empty: only the cooldown limits."
                  />
                  <ChoiceField
                    path={['faucets', name, 'streak']}
                    label="Counts toward streak"
                    options={[
                      { value: '', label: 'No streak' },
                      ...streaks.map((s) => ({ value: s, label: s })),
                    ]}
                  />
                  <IdListField
                    path={['faucets', name, 'eligibility', 'roles']}
                    label="Only for roles"
                    hint="Role ids, comma-separated. Empty: everyone."
                  />
                  <IntField
                    path={['faucets', name, 'eligibility', 'minMemberAgeDays']}
                    label="Member for at least"
                    suffix="days"
                  />
                </Grid>
              </div>
            </Entry>
          );
        })}
        <AddKeyed
          what="faucet"
          existing={Object.keys(faucets)}
          onAdd={(key) =>
            set(['faucets', key], { enabled: true, reward: { fixed: 100 }, cooldownSeconds: 3600 })
          }
        />
      </div>
    </Section>
  );
}

export function StreaksSection() {
  const { draft, set } = useEditor();
  const streaks = draft.streaks ?? {};
  return (
    <Section title="Streaks" path={['streaks']}>
      <div className="space-y-4">
        {Object.entries(streaks).map(([name, streak]) => (
          <Entry key={name} title={`Streak “${name}”`} onRemove={() => set(['streaks', name], undefined)}>
            <div className="space-y-4">
              <Grid>
                <IntField path={['streaks', name, 'graceHours']} label="Grace" suffix="hours" />
                <PercentField path={['streaks', name, 'bonusPerDayBps']} label="Bonus per streak day" />
                <PercentField path={['streaks', name, 'maxBonusBps']} label="Bonus cap" />
                <IntField path={['streaks', name, 'maxFreezes']} label="Freezes a member may hold" />
              </Grid>
              <fieldset className="space-y-2">
                <legend className="text-sm font-medium">Milestones</legend>
                {(streak.milestones ?? []).map((_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: entries are positional (their paths are indices)
                  <div key={i} className="flex items-end gap-2">
                    <div className="grid grow gap-2 sm:grid-cols-2">
                      <IntField
                        path={['streaks', name, 'milestones', i, 'day']}
                        label={`Milestone ${i + 1}: day`}
                      />
                      <AmountField path={['streaks', name, 'milestones', i, 'bonus']} label="Bonus" />
                    </div>
                    <button
                      type="button"
                      className="mb-1 rounded px-2 py-1 text-sm text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950"
                      onClick={() =>
                        set(
                          ['streaks', name, 'milestones'],
                          streak.milestones.filter((__, j) => j !== i),
                        )
                      }
                    >
                      Remove<span className="sr-only"> milestone {i + 1}</span>
                    </button>
                  </div>
                ))}
                <button
                  type="button"
                  className="text-sm font-medium text-brand-700 underline dark:text-brand-300"
                  onClick={() =>
                    set(
                      ['streaks', name, 'milestones'],
                      [...(streak.milestones ?? []), { day: 7, bonus: 100 }],
                    )
                  }
                >
                  Add milestone
                </button>
              </fieldset>
            </div>
          </Entry>
        ))}
        <AddKeyed what="streak" existing={Object.keys(streaks)} onAdd={(key) => set(['streaks', key], {})} />
      </div>
    </Section>
  );
}

export function ShopSection() {
  const { draft, set } = useEditor();
  const items = draft.shop?.items ?? {};
  const streaks = Object.keys(draft.streaks ?? {});
  return (
    <Section title="Shop" path={['shop']}>
      <div className="space-y-4">
        {Object.entries(items).map(([key, item]) => (
          <Entry key={key} title={item.name || key} onRemove={() => set(['shop', 'items', key], undefined)}>
            <div className="space-y-4">
              <Grid>
                <StringField path={['shop', 'items', key, 'name']} label="Name" />
                <StringField path={['shop', 'items', key, 'description']} label="Description" optional />
                <AmountField path={['shop', 'items', key, 'price']} label="Price" />
                <IntField
                  path={['shop', 'items', key, 'stock']}
                  label="Stock"
                  empty="null"
                  hint="Empty: unlimited."
                />
                <IntField
                  path={['shop', 'items', key, 'perMemberLimit']}
                  label="Per member at most"
                  empty="null"
                  hint="Empty: no limit."
                />
                <div className="space-y-2">
                  <ToggleField path={['shop', 'items', key, 'enabled']} label="On sale" />
                  <ToggleField path={['shop', 'items', key, 'consumable']} label="Used up when used" />
                </div>
              </Grid>
              <fieldset className="space-y-2">
                <legend className="text-sm font-medium">What buying it does</legend>
                {(item.effects ?? []).map((effect, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: entries are positional (their paths are indices)
                  <div key={i} className="flex items-end gap-2">
                    <div className="grid grow gap-2 sm:grid-cols-3">
                      <ChoiceField
                        path={['shop', 'items', key, 'effects', i, 'type']}
                        label={`Effect ${i + 1}`}
                        options={[
                          { value: 'role', label: 'Give a role' },
                          { value: 'streakFreeze', label: 'Streak freeze' },
                        ]}
                      />
                      {effect.type === 'role' ? (
                        <StringField path={['shop', 'items', key, 'effects', i, 'roleId']} label="Role id" />
                      ) : (
                        <>
                          <ChoiceField
                            path={['shop', 'items', key, 'effects', i, 'streak']}
                            label="Streak"
                            options={[
                              { value: '', label: 'Choose…' },
                              ...streaks.map((s) => ({ value: s, label: s })),
                            ]}
                          />
                          <IntField path={['shop', 'items', key, 'effects', i, 'count']} label="Freezes" />
                        </>
                      )}
                    </div>
                    <button
                      type="button"
                      className="mb-1 rounded px-2 py-1 text-sm text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950"
                      onClick={() =>
                        set(
                          ['shop', 'items', key, 'effects'],
                          item.effects.filter((_, j) => j !== i),
                        )
                      }
                    >
                      Remove<span className="sr-only"> effect {i + 1}</span>
                    </button>
                  </div>
                ))}
                <button
                  type="button"
                  className="text-sm font-medium text-brand-700 underline dark:text-brand-300"
                  onClick={() =>
                    set(
                      ['shop', 'items', key, 'effects'],
                      [...(item.effects ?? []), { type: 'role', roleId: '' }],
                    )
                  }
                >
                  Add effect
                </button>
              </fieldset>
            </div>
          </Entry>
        ))}
        <AddKeyed
          what="item"
          existing={Object.keys(items)}
          onAdd={(key) => set(['shop', 'items', key], { name: key, price: 100 })}
        />
      </div>
    </Section>
  );
}

export function SinksSection() {
  return (
    <Section title="Payments between members" path={['sinks']}>
      <Grid>
        <PercentField
          path={['sinks', 'transferTaxBps']}
          label="Transfer tax"
          hint="Paid by the sender on top, destroyed."
        />
        <AmountField path={['sinks', 'transferFee']} label="Flat fee per payment" />
        <AmountField path={['sinks', 'minTransfer']} label="Smallest payment" />
      </Grid>
    </Section>
  );
}

const GAMES: Array<{ game: GameName; title: string }> = [
  { game: 'coinflip', title: 'Coinflip' },
  { game: 'dice', title: 'Dice' },
  { game: 'slots', title: 'Slots' },
  { game: 'roulette', title: 'Roulette' },
  { game: 'blackjack', title: 'Blackjack' },
];

export function GamesSection() {
  const { draft, set, defaults } = useEditor();
  const games = draft.games ?? {};
  return (
    <Section title="Games" path={['games']}>
      <div className="space-y-4">
        {GAMES.map(({ game, title }) => {
          const offered = games[game] !== undefined;
          return (
            <Entry
              key={game}
              title={
                <Checkbox
                  label={title}
                  checked={offered}
                  onChange={(on) =>
                    set(
                      ['games', game],
                      on ? structuredClone(defaults.games[game] ?? { minBet: 10, maxBet: 1000 }) : undefined,
                    )
                  }
                  hint={offered ? 'Offered in this server' : 'Not offered'}
                />
              }
            >
              {offered ? (
                <div className="space-y-4">
                  <Grid>
                    <ToggleField path={['games', game, 'enabled']} label="Open for play" />
                    <AmountField path={['games', game, 'minBet']} label="Smallest bet" />
                    <AmountField path={['games', game, 'maxBet']} label="Largest bet" />
                    <AmountField
                      path={['games', game, 'maxPayout']}
                      label="Largest payout"
                      empty="null"
                      hint="Empty: no cap."
                    />
                    {game === 'coinflip' || game === 'dice' ? (
                      <PercentField path={['games', game, 'houseEdgeBps']} label="House edge" />
                    ) : null}
                    {game === 'dice' ? (
                      <>
                        <IntField
                          path={['games', 'dice', 'minTarget']}
                          label="Lowest target"
                          suffix="% win chance"
                        />
                        <IntField
                          path={['games', 'dice', 'maxTarget']}
                          label="Highest target"
                          suffix="% win chance"
                        />
                      </>
                    ) : null}
                    {game === 'blackjack' ? (
                      <>
                        <PercentField
                          path={['games', 'blackjack', 'blackjackPayoutBps']}
                          label="Blackjack pays"
                          hint="150 % = 3:2."
                        />
                        <ToggleField
                          path={['games', 'blackjack', 'dealerHitsSoft17']}
                          label="Dealer hits soft 17"
                        />
                        <IntField
                          path={['games', 'blackjack', 'timeoutSeconds']}
                          label="Round timeout"
                          suffix="seconds"
                        />
                      </>
                    ) : null}
                  </Grid>
                  {game === 'slots' ? (
                    <div className="grid gap-4 lg:grid-cols-2">
                      <JsonField path={['games', 'slots', 'reels']} label="Reels (three lists of symbols)" />
                      <JsonField
                        path={['games', 'slots', 'paytable']}
                        label="Paytable"
                        hint="Each line: three symbols ('*' matches any) and the multiplier in bps (10000 = ×1). First match wins."
                      />
                    </div>
                  ) : null}
                </div>
              ) : null}
            </Entry>
          );
        })}
      </div>
    </Section>
  );
}

/** ISO (with offset) ⇄ the value of a datetime-local input, in the browser's time zone. */
function toLocalInput(iso: unknown): string {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function DateTimeField({ path, label }: { path: Array<string | number>; label: string }) {
  const { draft, set, issue } = useEditor();
  const events = draft.events ?? [];
  const [, i, field] = path as ['events', number, 'startsAt' | 'endsAt'];
  const value = events[i]?.[field];
  const error = issue(path);
  const id = `dt-${path.join('-')}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        type="datetime-local"
        value={toLocalInput(value)}
        aria-invalid={error ? true : undefined}
        onChange={(e) => set(path, e.target.value ? new Date(e.target.value).toISOString() : undefined)}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950"
      />
      {error ? <p className="text-xs font-medium text-red-700 dark:text-red-300">{error}</p> : null}
    </div>
  );
}

export function EventsSection() {
  const { draft, set } = useEditor();
  const events = draft.events ?? [];
  const faucetNames = Object.keys(draft.faucets ?? {});
  const gameNames = GAMES.map((g) => g.game).filter((g) => draft.games?.[g] !== undefined);
  const toggle = (list: string[], value: string, on: boolean) =>
    on ? [...list, value] : list.filter((v) => v !== value);
  return (
    <Section title="Events" path={['events']}>
      <div className="space-y-4">
        {events.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">No events planned.</p>
        ) : null}
        {events.map((event, i) => (
          <Entry
            // biome-ignore lint/suspicious/noArrayIndexKey: entries are positional; the id is editable
            key={i}
            title={event.name || `Event ${i + 1}`}
            onRemove={() =>
              set(
                ['events'],
                events.filter((_, j) => j !== i),
              )
            }
          >
            <div className="space-y-4">
              <Grid>
                <StringField path={['events', i, 'id']} label="Id" />
                <StringField path={['events', i, 'name']} label="Name" />
                <PercentField
                  path={['events', i, 'multiplierBps']}
                  label="Multiplier"
                  hint="150 % pays one and a half times."
                />
                <DateTimeField path={['events', i, 'startsAt']} label="Starts" />
                <DateTimeField path={['events', i, 'endsAt']} label="Ends" />
              </Grid>
              <fieldset>
                <legend className="text-sm font-medium">Applies to</legend>
                <div className="mt-2 flex flex-wrap gap-4">
                  {faucetNames.map((f) => (
                    <Checkbox
                      key={f}
                      label={`/${f}`}
                      checked={(event.faucets ?? []).includes(f)}
                      onChange={(on) => set(['events', i, 'faucets'], toggle(event.faucets ?? [], f, on))}
                    />
                  ))}
                  {gameNames.map((g) => (
                    <Checkbox
                      key={g}
                      label={g}
                      checked={(event.games ?? []).includes(g)}
                      onChange={(on) => set(['events', i, 'games'], toggle(event.games ?? [], g, on))}
                    />
                  ))}
                </div>
              </fieldset>
            </div>
          </Entry>
        ))}
        <button
          type="button"
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          onClick={() => {
            const start = new Date(Date.now() + 86_400_000);
            start.setMinutes(0, 0, 0);
            set(
              ['events'],
              [
                ...events,
                {
                  id: `event-${events.length + 1}`,
                  name: 'Double rewards weekend',
                  startsAt: start.toISOString(),
                  endsAt: new Date(start.getTime() + 2 * 86_400_000).toISOString(),
                  multiplierBps: 20_000,
                  faucets: faucetNames.slice(0, 1),
                  games: [],
                },
              ],
            );
          }}
        >
          Add event
        </button>
      </div>
    </Section>
  );
}

export function PolicySection() {
  return (
    <Section title="Policy and limits" path={['policy']}>
      <div className="space-y-4">
        <Grid>
          <AmountField
            path={['policy', 'dailyEmissionBudget']}
            label="Daily emission budget"
            empty="null"
            hint="Most all rewards together may pay per day. Empty: no budget."
          />
          <IntField
            path={['policy', 'rateLimit', 'perMemberPerMinute']}
            label="Commands per member per minute"
          />
        </Grid>
        <h3 className="font-medium">Auto-balancer</h3>
        <Grid>
          <ToggleField path={['policy', 'autoBalance', 'enabled']} label="Steer rewards toward a target" />
          <PercentField
            path={['policy', 'autoBalance', 'targetMinBps']}
            label="Target net emission from"
            hint="Of the money supply, per day."
          />
          <PercentField path={['policy', 'autoBalance', 'targetMaxBps']} label="Target net emission up to" />
          <PercentField path={['policy', 'autoBalance', 'stepBps']} label="Step per adjustment" />
          <PercentField
            path={['policy', 'autoBalance', 'minMultiplierBps']}
            label="Lowest reward multiplier"
          />
          <PercentField
            path={['policy', 'autoBalance', 'maxMultiplierBps']}
            label="Highest reward multiplier"
          />
        </Grid>
        <h3 className="font-medium">Anomaly detection</h3>
        <Grid>
          <IntField
            path={['policy', 'anomaly', 'velocityMadThreshold']}
            label="Velocity threshold"
            suffix="MADs"
          />
          <IntField
            path={['policy', 'anomaly', 'circularWindowMinutes']}
            label="Circular transfer window"
            suffix="minutes"
          />
          <IntField
            path={['policy', 'anomaly', 'newAccountFeeders']}
            label="New accounts feeding one account"
          />
        </Grid>
      </div>
    </Section>
  );
}
