'use client';

import { SelectInput } from '../ui/field';
import { useEditor, useFieldAt } from './context';
import {
  AmountField,
  Entry,
  Grid,
  humanSeconds,
  IdListField,
  IntField,
  PercentField,
  StringField,
  SwitchedSection,
  ToggleField,
} from './fields';

// Issue 14 §1 and §6: activity income with levels, and the lottery. Both off until the owner turns them on
// (levels are on in the cozy preset, which rewards being around).

const ANNOUNCE = [
  { value: 'off', label: 'Nowhere' },
  { value: 'same-channel', label: 'In the channel of the message' },
  { value: 'channel', label: 'In one channel' },
] as const;

/** Where level-ups are announced: switching the mode replaces the whole choice, so no stale channel stays. */
function AnnounceField() {
  const field = useFieldAt(['levels', 'announce', 'mode']);
  const { set } = useEditor();
  const mode = typeof field.value === 'string' ? field.value : 'same-channel';
  return (
    <>
      <SelectInput
        label="Announce level-ups"
        value={mode}
        onChange={(e) =>
          set(
            ['levels', 'announce'],
            e.target.value === 'channel' ? { mode: 'channel', channelId: '' } : { mode: e.target.value },
          )
        }
        error={field.error}
      >
        {ANNOUNCE.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </SelectInput>
      {mode === 'channel' ? (
        <StringField path={['levels', 'announce', 'channelId']} label="Announcement channel id" />
      ) : null}
    </>
  );
}

export function LevelsSection() {
  const { draft, set } = useEditor();
  const levels = draft.levels;
  const on = levels?.enabled === true;
  const rewards = levels?.roleRewards ?? [];
  return (
    <SwitchedSection
      title="Levels and activity income"
      path={['levels']}
      on={on}
      label="Messages and voice minutes earn coins and XP (/rank, /levels)"
      hint="The bot counts who posted where, never what: it does not read message content. Coins are new money from faucet:activity, within the daily emission budget."
    >
      <h3 className="font-medium">Messages</h3>
      <Grid>
        <AmountField path={['levels', 'message', 'coins', 'min']} label="Coins per message, at least" />
        <AmountField path={['levels', 'message', 'coins', 'max']} label="Coins per message, at most" />
        <IntField path={['levels', 'message', 'xp', 'min']} label="XP per message, at least" />
        <IntField path={['levels', 'message', 'xp', 'max']} label="XP per message, at most" />
        <IntField
          path={['levels', 'message', 'windowSeconds']}
          label="One rewarded message per"
          suffix="seconds"
          hint={humanSeconds(levels?.message?.windowSeconds)}
        />
        <AmountField
          path={['levels', 'dailyCoinCap']}
          label="Most coins per member per day"
          empty="null"
          hint="Messages and voice together; XP keeps counting. Empty: no cap."
        />
      </Grid>
      <h3 className="font-medium">Voice</h3>
      <Grid>
        <ToggleField
          path={['levels', 'voice', 'enabled']}
          label="Voice minutes earn too (with someone listening, not deafened)"
        />
        <AmountField path={['levels', 'voice', 'coinsPerMinute']} label="Coins per minute" />
        <IntField path={['levels', 'voice', 'xpPerMinute']} label="XP per minute" />
        <IntField
          path={['levels', 'voice', 'maxMinutesPerPeriod']}
          label="Most minutes paid per stay"
          suffix="minutes"
        />
      </Grid>
      <h3 className="font-medium">Where it does not count</h3>
      <Grid>
        <IdListField
          path={['levels', 'ignoredChannels']}
          label="Ignored channels"
          hint="Channel ids, comma-separated."
        />
        <IdListField
          path={['levels', 'ignoredRoles']}
          label="Ignored roles"
          hint="Role ids: their holders earn nothing."
        />
      </Grid>
      <h3 className="font-medium">Levels</h3>
      <Grid>
        <IntField path={['levels', 'curve', 'a']} label="XP curve: a (× level²)" />
        <IntField path={['levels', 'curve', 'b']} label="XP curve: b (× level)" />
        <IntField
          path={['levels', 'curve', 'c']}
          label="XP curve: c"
          hint="Level n → n + 1 takes a·n² + b·n + c XP (MEE6: 5, 50, 100)."
        />
        <AnnounceField />
      </Grid>
      {rewards.map((reward, i) => (
        <Entry
          // biome-ignore lint/suspicious/noArrayIndexKey: entries are positional; both fields are editable
          key={i}
          title={reward.roleId ? `Level ${reward.level}: role ${reward.roleId}` : `Role reward ${i + 1}`}
          onRemove={() =>
            set(
              ['levels', 'roleRewards'],
              rewards.filter((_, j) => j !== i),
            )
          }
        >
          <Grid>
            <IntField path={['levels', 'roleRewards', i, 'level']} label="At level" />
            <StringField path={['levels', 'roleRewards', i, 'roleId']} label="Role id" />
          </Grid>
        </Entry>
      ))}
      <button
        type="button"
        onClick={() =>
          set(['levels', 'roleRewards'], [...rewards, { level: rewards.length + 1, roleId: '' }])
        }
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        Add a role reward
      </button>
    </SwitchedSection>
  );
}

export function LotterySection() {
  const { draft } = useEditor();
  const on = draft.lottery?.enabled === true;
  return (
    <SwitchedSection
      title="Lottery"
      path={['lottery']}
      on={on}
      label="A daily lottery (/lottery)"
      hint="Off by default: it is gambling. Each draw's seed is committed before the first ticket and revealed at the draw, so anyone can check it with /lottery verify."
    >
      <Grid>
        <AmountField path={['lottery', 'ticketPrice']} label="Ticket price" />
        <IntField path={['lottery', 'maxTicketsPerMember']} label="Most tickets per member per draw" />
        <PercentField
          path={['lottery', 'houseCutBps']}
          label="House cut"
          hint="Of the pot, rounded down, destroyed (sink:lottery); the winner gets the rest."
        />
        <IntField
          path={['lottery', 'drawHour']}
          label="Draw at (hour, server time zone)"
          hint="0-23, every day; tickets bought after it go to the next day's draw."
        />
        <StringField
          path={['lottery', 'announceChannelId']}
          label="Announce winners in channel id"
          optional
          hint="Empty: no announcement."
        />
      </Grid>
    </SwitchedSection>
  );
}
