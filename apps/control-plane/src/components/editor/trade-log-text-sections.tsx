'use client';

import type { LogEventKind, TEXT_PLACEHOLDERS, TextKey } from '@guildmint/sdk';
import { Checkbox } from '../ui/field';
import { useEditor, useFieldAt } from './context';
import {
  AmountField,
  Grid,
  humanSeconds,
  IntField,
  PercentField,
  Section,
  StringField,
  ToggleField,
} from './fields';

// Issue 14, features 5 and 8: trades between members, the log channel, and the owner's reply texts.
// All three are off (or built-in) until the owner changes them.

export function TradesSection() {
  const { draft } = useEditor();
  const on = draft.trades?.enabled === true;
  return (
    <Section title="Trades" path={['trades']}>
      <div className="space-y-4">
        <ToggleField
          path={['trades', 'enabled']}
          label="Members may trade items and coins (/trade)"
          hint="The proposer's side waits in escrow until the other member accepts; a declined, cancelled or expired offer gives everything back."
        />
        {on ? (
          <Grid>
            <PercentField
              path={['trades', 'feeBps']}
              label="Fee on the coins each side sends"
              hint="Paid on top, rounded down, and destroyed. 0 %: no fee."
            />
            <IntField
              path={['trades', 'expirySeconds']}
              label="An offer expires after"
              suffix="seconds"
              hint={humanSeconds(draft.trades?.expirySeconds)}
            />
          </Grid>
        ) : null}
      </div>
    </Section>
  );
}

const LOG_EVENTS: Record<LogEventKind, string> = {
  payment: 'Large payments',
  purchase: 'Shop purchases',
  trade: 'Completed trades',
  admin: 'Admin actions (/eco)',
  anomaly: 'Anomalies',
};

export function LogChannelSection() {
  const { draft } = useEditor();
  const on = draft.logChannel?.enabled === true;
  const events = useFieldAt(['logChannel', 'events']);
  const chosen = Array.isArray(events.value) ? (events.value as LogEventKind[]) : [];
  return (
    <Section title="Log channel" path={['logChannel']}>
      <div className="space-y-4">
        <ToggleField
          path={['logChannel', 'enabled']}
          label="Post money events to a channel"
          hint="Bursts are gathered into one post, at most so many posts a minute; nothing is ever held up by the log."
        />
        {on ? (
          <>
            <Grid>
              <StringField
                path={['logChannel', 'channelId']}
                label="Channel id"
                hint="Right-click the channel in Discord → Copy Channel ID. The bot needs Send Messages and Embed Links there."
              />
              <AmountField
                path={['logChannel', 'largePaymentAt']}
                label="Log payments from"
                hint="Smaller payments are not posted."
              />
              <IntField path={['logChannel', 'maxPostsPerMinute']} label="Posts per minute at most" />
            </Grid>
            <fieldset className="space-y-1">
              <legend className="text-sm font-medium">What is posted</legend>
              {(Object.keys(LOG_EVENTS) as LogEventKind[]).map((kind) => (
                <Checkbox
                  key={kind}
                  label={LOG_EVENTS[kind]}
                  checked={chosen.includes(kind)}
                  onChange={(checked) =>
                    events.set(checked ? [...chosen, kind] : chosen.filter((k) => k !== kind))
                  }
                />
              ))}
            </fieldset>
          </>
        ) : null}
      </div>
    </Section>
  );
}

/** The placeholders each text may use, as the SDK's TEXT_PLACEHOLDERS lists them (checked by type). */
const TEXTS = {
  pay: { label: '/pay: payment sent', placeholders: ['member', 'target', 'amount'] },
  claim: { label: 'Rewards (/daily, /work, …)', placeholders: ['member', 'amount', 'faucet'] },
  gift: { label: '/gift: items given', placeholders: ['member', 'target', 'item', 'quantity'] },
  trade: { label: '/trade: trade done', placeholders: ['member', 'target'] },
} as const satisfies {
  [K in TextKey]: { label: string; placeholders: (typeof TEXT_PLACEHOLDERS)[K] };
};

export function TextsSection() {
  return (
    <Section title="Reply texts" path={['texts']}>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Say it your way. Leave a text empty to keep the built-in one. @everyone, @here and role mentions never
        ping from these texts. The preview beside the editor shows each text with example values.
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        {(Object.keys(TEXTS) as TextKey[]).map((key) => (
          <StringField
            key={key}
            path={['texts', key]}
            label={TEXTS[key].label}
            optional
            hint={`Placeholders: ${TEXTS[key].placeholders.map((p) => `{${p}}`).join(' ')}`}
          />
        ))}
      </div>
    </Section>
  );
}
