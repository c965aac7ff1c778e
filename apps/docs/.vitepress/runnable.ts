import type { MarkdownRenderer } from 'vitepress';

/**
 * A ```ts run``` block is a program that CI type-checks and runs (test/examples.test.ts): it gets a
 * "runnable example" badge. A ```text output``` block after it is what it prints, compared by the same
 * test: it gets an "output" badge. The extra word is taken out of the info string before highlighting.
 */
const BADGES: Record<string, { className: string; label: string; title: string }> = {
  run: {
    className: 'runnable',
    label: 'runnable example',
    title: 'Type-checked and run in CI by apps/docs/test/examples.test.ts',
  },
  output: {
    className: 'example-output',
    label: 'output',
    title: 'What the example above prints; CI compares it',
  },
};

export function runnableBadge(md: MarkdownRenderer): void {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const [language = '', ...flags] = token.info.trim().split(/\s+/);
    const flag = flags.find((word) => word in BADGES);
    if (!flag) return fence(tokens, idx, options, env, self);
    const badge = BADGES[flag]!;
    token.info = [language, ...flags.filter((word) => word !== flag)].join(' ');
    const label = `<div class="example-badge" title="${badge.title}">${badge.label}</div>`;
    return `<div class="${badge.className}">${label}${fence(tokens, idx, options, env, self)}</div>`;
  };
}
