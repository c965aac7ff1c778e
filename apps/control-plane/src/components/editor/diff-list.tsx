'use client';

import type { Change } from '../../lib/diff';
import { show } from '../../lib/diff';

export function DiffList({ changes }: { changes: Change[] }) {
  if (changes.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">No changes.</p>;
  return (
    // A long list scrolls: keyboard users must be able to reach and scroll it (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region is focusable so it can be scrolled
    <section aria-label="Changes" tabIndex={0} className="max-h-72 overflow-y-auto">
      <ul className="space-y-1 text-sm" data-testid="diff">
        {changes.map((c) => (
          <li
            key={`${c.kind}:${c.path}`}
            className="rounded bg-slate-50 px-2 py-1 font-mono text-xs dark:bg-slate-800"
          >
            <span className="font-semibold">{c.path}</span>{' '}
            {c.kind === 'added' ? (
              <span className="text-emerald-800 dark:text-emerald-300">added {show(c.after)}</span>
            ) : c.kind === 'removed' ? (
              <span className="text-red-800 dark:text-red-300">removed (was {show(c.before)})</span>
            ) : (
              <span>
                <span className="text-red-800 line-through dark:text-red-300">{show(c.before)}</span> →{' '}
                <span className="text-emerald-800 dark:text-emerald-300">{show(c.after)}</span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
