'use client';

import { useEditor } from './context';
import {
  AmountField,
  ChoiceField,
  Entry,
  Grid,
  humanSeconds,
  IdListField,
  IntField,
  PercentField,
  Section,
  StringField,
  SwitchedSection,
  ToggleField,
} from './fields';

// The member features of issue 14: the bank, robbery, role income, and items between members. Each is
// off until the owner turns it on (robbery and role income in every preset but casino's robbery).

export function BankSection() {
  const { draft } = useEditor();
  const on = draft.bank?.enabled === true;
  return (
    <SwitchedSection
      title="Bank"
      path={['bank']}
      on={on}
      label="Members have a bank (/deposit, /withdraw)"
      hint="Coins in the bank are safe from robbers and count on the bank and total leaderboards."
    >
      <Grid>
        <AmountField path={['bank', 'minAmount']} label="Smallest deposit or withdrawal" />
        <AmountField
          path={['bank', 'maxBalance']}
          label="Most a bank may hold"
          empty="null"
          hint="Empty: no limit."
        />
      </Grid>
      <h3 className="font-medium">Interest</h3>
      <Grid>
        <PercentField
          path={['bank', 'interest', 'dailyRateBps']}
          label="Interest per day"
          hint="On the bank balance, rounded down; 0 % pays none. New coins: counted in the daily emission budget."
        />
        <AmountField path={['bank', 'interest', 'maxPerDay']} label="Most interest per member per day" />
        <IntField
          path={['bank', 'interest', 'maxDaysAccrued']}
          label="Days of interest paid at most"
          suffix="days"
          hint="For a member who comes back after a long while."
        />
      </Grid>
    </SwitchedSection>
  );
}

export function RobberySection() {
  const { draft } = useEditor();
  const robbery = draft.robbery;
  const on = robbery?.enabled === true;
  return (
    <SwitchedSection
      title="Robbery"
      path={['robbery']}
      on={on}
      label="Members may rob each other (/rob)"
      hint="Off by default: it can sour a community. Only wallets can be robbed, never banks; every robbery can be checked with /fair."
    >
      <Grid>
        <PercentField
          path={['robbery', 'minChanceBps']}
          label="Lowest chance of success"
          hint="When the target is far poorer than the robber."
        />
        <PercentField
          path={['robbery', 'maxChanceBps']}
          label="Highest chance of success"
          hint="Approached as the target is far richer."
        />
        <PercentField path={['robbery', 'minStealBps']} label="Share taken, at least" />
        <PercentField path={['robbery', 'maxStealBps']} label="Share taken, at most" />
        <AmountField
          path={['robbery', 'maxSteal']}
          label="Most one robbery takes"
          empty="null"
          hint="Empty: no cap."
        />
        <PercentField
          path={['robbery', 'fineBps']}
          label="Fine for a failed robbery"
          hint="Of the robber's wallet, destroyed."
        />
        <AmountField path={['robbery', 'minFine']} label="Smallest fine" />
        <AmountField path={['robbery', 'minWallet']} label="A robber needs at least" />
      </Grid>
      <h3 className="font-medium">Protection</h3>
      <Grid>
        <IntField
          path={['robbery', 'cooldownSeconds']}
          label="Between two attempts"
          suffix="seconds"
          hint={humanSeconds(robbery?.cooldownSeconds)}
        />
        <IntField
          path={['robbery', 'protectionAfterRobbedSeconds']}
          label="Safe after being robbed"
          suffix="seconds"
          hint={humanSeconds(robbery?.protectionAfterRobbedSeconds)}
        />
        <IntField path={['robbery', 'newMemberDays']} label="New members are safe for" suffix="days" />
        <IntField
          path={['robbery', 'inactiveDays']}
          label="Inactive members are safe after"
          suffix="days"
          hint="0: no such protection."
        />
        <IdListField
          path={['robbery', 'optOutRoles']}
          label="Opt-out roles"
          hint="Role ids, comma-separated: their holders can neither rob nor be robbed."
        />
      </Grid>
    </SwitchedSection>
  );
}

const PERIODS = [
  { value: 'day', label: 'per day' },
  { value: 'week', label: 'per week (from Monday)' },
];

export function RoleIncomeSection() {
  const { draft, set } = useEditor();
  const roles = draft.roleIncome?.roles ?? [];
  const on = draft.roleIncome?.enabled === true;
  return (
    <SwitchedSection
      title="Role income"
      path={['roleIncome']}
      on={on}
      label="Roles pay an income (/collect)"
      hint="New coins, counted in the daily emission budget; members collect once per period."
    >
      {roles.map((role, i) => (
        <Entry
          // biome-ignore lint/suspicious/noArrayIndexKey: entries are positional; the role id is editable
          key={i}
          title={role.roleId ? `Role ${role.roleId}` : `Income ${i + 1}`}
          onRemove={() =>
            set(
              ['roleIncome', 'roles'],
              roles.filter((_, j) => j !== i),
            )
          }
        >
          <Grid>
            <StringField path={['roleIncome', 'roles', i, 'roleId']} label="Role id" />
            <AmountField path={['roleIncome', 'roles', i, 'amount']} label="Pays" />
            <ChoiceField path={['roleIncome', 'roles', i, 'period']} label="How often" options={PERIODS} />
          </Grid>
        </Entry>
      ))}
      <button
        type="button"
        onClick={() => set(['roleIncome', 'roles'], [...roles, { roleId: '', amount: 100, period: 'day' }])}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        Add a role income
      </button>
    </SwitchedSection>
  );
}

export function ItemsBetweenMembersSection() {
  return (
    <Section title="Items between members" path={['shop', 'gifts']}>
      <Grid>
        <ToggleField
          path={['shop', 'gifts']}
          label="Members may gift items (/gift)"
          hint="Items that gave their buyer a role cannot change hands."
        />
        <PercentField
          path={['shop', 'sellBackBps']}
          label="The shop buys items back for"
          hint="Of the item's price, rounded down (/sell). 0 %: no buyback."
        />
      </Grid>
    </Section>
  );
}

/** The parts of `/profile` an owner may hide, with what each shows. */
const PROFILE_PARTS = [
  ['bank', 'Bank balance (and the total)'],
  ['rank', 'Rank on the leaderboard'],
  ['level', 'Level and XP (when levels are on)'],
  ['streak', 'Streak'],
  ['inventory', 'Inventory'],
] as const;

export function ProfileSection() {
  const { draft } = useEditor();
  const on = draft.profile?.enabled !== false;
  return (
    <SwitchedSection
      title="Profile"
      path={['profile']}
      on={on}
      label="Members have a profile (/profile)"
      hint="The wallet, and the parts chosen below, in one card."
    >
      <h3 className="font-medium">Shown on the profile</h3>
      <Grid>
        {PROFILE_PARTS.map(([part, label]) => (
          <ToggleField key={part} path={['profile', 'show', part]} label={label} />
        ))}
      </Grid>
      <Grid>
        <IntField
          path={['profile', 'highlights']}
          label="Most valuable items named"
          suffix="0-10"
          hint="The rest of the inventory is counted. 0: only the count."
        />
        <ToggleField
          path={['profile', 'viewOthers']}
          label="Members may see each other's profiles"
          hint="Off: /profile shows only one's own, and says so to whoever asks for someone else's."
        />
      </Grid>
    </SwitchedSection>
  );
}
