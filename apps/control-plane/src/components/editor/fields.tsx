'use client';

import { type ReactNode, useEffect, useState } from 'react';
import { formatUnits, parseUnits } from '../../lib/money';
import { type Path, pathKey } from '../../lib/paths';
import { Checkbox, SelectInput, TextInput } from '../ui/field';
import { useEditor, useFieldAt } from './context';

/**
 * Editor fields bound to a path in the draft. Typed text is kept as typed; what reaches the draft
 * is the parsed value, or the raw text when it does not parse, so the SDK's schema names the problem.
 */
function useTextBinding(path: Path, format: (value: unknown) => string, parse: (text: string) => unknown) {
  const field = useFieldAt(path);
  const [text, setText] = useState(() => format(field.value));
  const external = format(field.value);
  // Follow outside changes (reset, rollback), but not our own half-typed text.
  // biome-ignore lint/correctness/useExhaustiveDependencies: format and parse are fixed per field kind
  useEffect(() => {
    setText((current) => (format(parse(current)) === external ? current : external));
  }, [external]);
  return {
    text,
    error: field.error,
    onChange: (next: string) => {
      setText(next);
      field.set(parse(next));
    },
  };
}

type Empty = 'omit' | 'null';
const emptyValue = (empty: Empty) => (empty === 'null' ? null : undefined);

function parseInteger(text: string, empty: Empty): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return emptyValue(empty);
  const n = Number(trimmed);
  return Number.isNaN(n) ? trimmed : n;
}

export function IntField({
  path,
  label,
  hint,
  empty = 'omit',
  suffix,
}: {
  path: Path;
  label: string;
  hint?: ReactNode;
  empty?: Empty;
  suffix?: string;
}) {
  const binding = useTextBinding(
    path,
    (v) => (typeof v === 'number' || typeof v === 'string' ? String(v) : ''),
    (t) => parseInteger(t, empty),
  );
  return (
    <TextInput
      label={suffix ? `${label} (${suffix})` : label}
      inputMode="numeric"
      value={binding.text}
      onChange={(e) => binding.onChange(e.target.value)}
      hint={hint}
      error={binding.error}
    />
  );
}

/** Minor units in the draft; major units (the currency's decimals) on screen. */
export function AmountField({
  path,
  label,
  hint,
  empty = 'omit',
}: {
  path: Path;
  label: string;
  hint?: ReactNode;
  empty?: Empty;
}) {
  const { draft } = useEditor();
  const decimals = typeof draft.currency?.decimals === 'number' ? draft.currency.decimals : 0;
  const symbol = draft.currency?.symbol ?? '';
  const binding = useTextBinding(
    path,
    (v) =>
      typeof v === 'number' ? formatUnits(v, decimals).replace(/,/g, '') : typeof v === 'string' ? v : '',
    (t) => {
      if (t.trim() === '') return emptyValue(empty);
      const units = parseUnits(t, decimals);
      return units === null ? t : Number(units);
    },
  );
  return (
    <TextInput
      label={`${label} (${symbol})`}
      inputMode="decimal"
      value={binding.text}
      onChange={(e) => binding.onChange(e.target.value)}
      hint={hint}
      error={binding.error}
    />
  );
}

/** Basis points in the draft; percent on screen (200 bps = 2 %). */
export function PercentField({ path, label, hint }: { path: Path; label: string; hint?: ReactNode }) {
  const binding = useTextBinding(
    path,
    (v) =>
      typeof v === 'number'
        ? formatUnits(v, 2)
            .replace(/,/g, '')
            .replace(/\.?0+$/, '')
        : typeof v === 'string'
          ? v
          : '',
    (t) => {
      if (t.trim() === '') return undefined;
      const negative = t.trim().startsWith('-');
      const units = parseUnits(negative ? t.trim().slice(1) : t, 2);
      return units === null ? t : Number(units) * (negative ? -1 : 1);
    },
  );
  return (
    <TextInput
      label={`${label} (%)`}
      inputMode="decimal"
      value={binding.text}
      onChange={(e) => binding.onChange(e.target.value)}
      hint={hint}
      error={binding.error}
    />
  );
}

export function StringField({
  path,
  label,
  hint,
  optional = false,
}: {
  path: Path;
  label: string;
  hint?: ReactNode;
  optional?: boolean;
}) {
  const field = useFieldAt(path);
  return (
    <TextInput
      label={label}
      value={typeof field.value === 'string' ? field.value : ''}
      onChange={(e) => field.set(optional && e.target.value === '' ? undefined : e.target.value)}
      hint={hint}
      error={field.error}
    />
  );
}

export function ToggleField({ path, label, hint }: { path: Path; label: string; hint?: string }) {
  const field = useFieldAt(path);
  return (
    <Checkbox
      label={label}
      checked={field.value === true}
      onChange={(v) => field.set(v)}
      {...(hint ? { hint } : {})}
    />
  );
}

export function ChoiceField({
  path,
  label,
  options,
  hint,
}: {
  path: Path;
  label: string;
  options: Array<{ value: string; label: string }>;
  hint?: ReactNode;
}) {
  const field = useFieldAt(path);
  return (
    <SelectInput
      label={label}
      value={typeof field.value === 'string' ? field.value : ''}
      onChange={(e) => field.set(e.target.value === '' ? undefined : e.target.value)}
      hint={hint}
      error={field.error}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </SelectInput>
  );
}

/** A list of Discord ids, typed comma-separated. */
export function IdListField({ path, label, hint }: { path: Path; label: string; hint?: ReactNode }) {
  const binding = useTextBinding(
    path,
    (v) => (Array.isArray(v) ? v.join(', ') : ''),
    (t) =>
      t
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
  );
  return (
    <TextInput
      label={label}
      value={binding.text}
      onChange={(e) => binding.onChange(e.target.value)}
      hint={hint}
      error={binding.error}
    />
  );
}

/** JSON for the rare deep structures (slot reels and paytable). */
export function JsonField({
  path,
  label,
  hint,
  rows = 6,
}: {
  path: Path;
  label: string;
  hint?: ReactNode;
  rows?: number;
}) {
  const field = useFieldAt(path);
  const [text, setText] = useState(() => JSON.stringify(field.value, null, 1));
  const [parseError, setParseError] = useState<string | null>(null);
  const id = `json-${field.key}`;
  const error = parseError ?? field.error;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
      </label>
      <textarea
        id={id}
        rows={rows}
        value={text}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          try {
            field.set(JSON.parse(e.target.value));
            setParseError(null);
          } catch {
            setParseError('not valid JSON');
          }
        }}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 font-mono text-xs dark:border-slate-700 dark:bg-slate-950"
      />
      {hint ? <p className="text-xs text-slate-600 dark:text-slate-400">{hint}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A titled group of fields, with the number of problems inside it. */
/** A feature's section that its `enabled` switch turns on: the switch first, its settings only while it is on. */
export function SwitchedSection({
  title,
  path,
  on,
  label,
  hint,
  children,
}: {
  title: string;
  path: Path;
  on: boolean;
  label: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <Section title={title} path={path}>
      <div className="space-y-4">
        <ToggleField path={[...path, 'enabled']} label={label} {...(hint !== undefined && { hint })} />
        {on ? children : null}
      </div>
    </Section>
  );
}

export function Section({
  title,
  path,
  children,
  actions,
}: {
  title: string;
  path: Path;
  children: ReactNode;
  actions?: ReactNode;
}) {
  const { issuesUnder } = useEditor();
  const problems = issuesUnder(path);
  return (
    <section
      id={`section-${pathKey(path)}`}
      className="scroll-mt-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="mb-4 flex items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">
          {title}
          {problems > 0 ? (
            <span className="ml-2 rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800 dark:bg-red-900 dark:text-red-100">
              {problems} {problems === 1 ? 'problem' : 'problems'}
            </span>
          ) : null}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Grid({ children }: { children: ReactNode }) {
  return <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{children}</div>;
}

/** A sub-card for one entry of a record or list (a faucet, an item). */
export function Entry({
  title,
  onRemove,
  children,
}: {
  title: ReactNode;
  onRemove?: () => void;
  children: ReactNode;
}) {
  return (
    <div className="rounded-lg border border-slate-200 p-4 dark:border-slate-700">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h3 className="font-medium">{title}</h3>
        {onRemove ? (
          <button
            type="button"
            onClick={onRemove}
            className="rounded px-2 py-1 text-sm text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950"
          >
            Remove<span className="sr-only"> {typeof title === 'string' ? title : ''}</span>
          </button>
        ) : null}
      </div>
      {children}
    </div>
  );
}

/** Adds a keyed entry (faucet, item, streak) after asking for its key. */
export function AddKeyed({
  what,
  onAdd,
  existing,
}: {
  what: string;
  onAdd: (key: string) => void;
  existing: string[];
}) {
  const [key, setKey] = useState('');
  const taken = existing.includes(key);
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (key && !taken) {
          onAdd(key);
          setKey('');
        }
      }}
    >
      <div className="grow">
        <TextInput
          label={`New ${what} id`}
          value={key}
          onChange={(e) => setKey(e.target.value.toLowerCase())}
          hint="Lowercase letters, digits, - and _; members see it in commands."
          error={taken ? 'already exists' : undefined}
        />
      </div>
      <button
        type="submit"
        disabled={!key || taken}
        className="mb-6 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        Add {what}
      </button>
    </form>
  );
}

/** "72000 s" → "20 h" */
export function humanSeconds(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  if (value % 86_400 === 0) return `${value / 86_400} d`;
  if (value % 3600 === 0) return `${value / 3600} h`;
  if (value % 60 === 0) return `${value / 60} min`;
  return `${value} s`;
}
