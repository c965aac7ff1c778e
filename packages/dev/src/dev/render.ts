// How `pnpm dev` shows Discord replies in a terminal: embeds as text, mentions and timestamps resolved.

export interface RenderableReply {
  content: string | null;
  embeds: Array<Record<string, unknown>>;
  components: Array<Record<string, unknown>>;
  ephemeral: boolean;
  deferred: boolean;
}

interface Embed {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  footer?: { text?: string };
}

/** "in 3 h", "5 min ago": what Discord shows for `<t:unix:R>`. */
export function relative(unixSeconds: number, now: number): string {
  const seconds = Math.round(unixSeconds - now / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 90
      ? [abs, 's']
      : abs < 5_400
        ? [Math.round(abs / 60), 'min']
        : abs < 129_600
          ? [Math.round(abs / 3600), 'h']
          : [Math.round(abs / 86_400), 'd'];
  return seconds >= 0 ? `in ${value} ${unit}` : `${value} ${unit} ago`;
}

/** Discord markup to plain text: timestamps, user and role mentions, bold and italics. */
export function plain(text: string, names: ReadonlyMap<string, string>, now: number): string {
  return text
    .replace(/<t:(\d+):R>/g, (_, unix: string) => relative(Number(unix), now))
    .replace(/<t:(\d+)(?::[a-zA-Z])?>/g, (_, unix: string) => new Date(Number(unix) * 1000).toLocaleString())
    .replace(/<@!?(\d+)>/g, (_, id: string) => `@${names.get(id) ?? id}`)
    .replace(/<@&(\d+)>/g, (_, id: string) => `@role:${id}`)
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\s)_(.+?)_(?=\s|$)/g, '$1$2');
}

/** The custom ids of a reply's buttons, with their labels. */
export function buttonsOf(reply: RenderableReply): Array<{ label: string; customId: string }> {
  return reply.components.flatMap((row) =>
    ((row.components as Array<{ label?: string; custom_id?: string }> | undefined) ?? []).flatMap((b) =>
      b.custom_id ? [{ label: b.label ?? b.custom_id, customId: b.custom_id }] : [],
    ),
  );
}

export function render(
  reply: RenderableReply,
  names: ReadonlyMap<string, string> = new Map(),
  now = Date.now(),
): string {
  const out: string[] = [];
  const tags = [reply.ephemeral ? 'only you can see this' : null, reply.deferred ? 'deferred' : null].filter(
    Boolean,
  );
  if (reply.content) out.push(plain(reply.content, names, now));
  for (const e of reply.embeds as Embed[]) {
    if (e.title) out.push(`┃ ${plain(e.title, names, now)}`);
    if (e.description) for (const line of plain(e.description, names, now).split('\n')) out.push(`┃ ${line}`);
    for (const f of e.fields ?? [])
      out.push(`┃ ${plain(f.name, names, now)}: ${plain(f.value, names, now).replace(/\n/g, ' ')}`);
    if (e.footer?.text) out.push(`┃ · ${plain(e.footer.text, names, now)}`);
  }
  const buttons = buttonsOf(reply);
  if (buttons.length > 0)
    out.push(
      `  ${buttons.map((b) => `[${b.label}]`).join(' ')}  ← type ${buttons.map((b) => b.label.toLowerCase()).join(' / ')}`,
    );
  if (tags.length > 0) out.push(`  (${tags.join(', ')})`);
  return out.join('\n');
}

export type PromptLine =
  | {
      kind: 'slash';
      command: string;
      subcommand?: string;
      options: Record<string, string | number | boolean>;
    }
  | { kind: 'button'; action: string }
  | { kind: 'as'; member: string }
  /** Discord's store: buy the guild's Pro subscription, end it, refund it, or (none) show the plan. */
  | { kind: 'premium'; action: 'buy' | 'end' | 'refund' | 'show' }
  | { kind: 'help' | 'commands' | 'exit' | 'empty' }
  | { kind: 'error'; message: string };

/** `/coinflip bet:50 side:heads`, `/fair verify round_id:1 server_seed:ab`, `hit`, `as bob`, `exit`. */
export function parseLine(line: string, members: ReadonlyMap<string, string>): PromptLine {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  if (['exit', 'quit', '.exit'].includes(text)) return { kind: 'exit' };
  if (text === 'help' || text === '?') return { kind: 'help' };
  if (text === 'commands') return { kind: 'commands' };
  const as = /^as\s+(\S+)$/.exec(text);
  if (as) return { kind: 'as', member: as[1]! };
  const premium = /^premium(?:\s+(\S+))?$/.exec(text);
  if (premium) {
    const action = premium[1] ?? 'show';
    return action === 'buy' || action === 'end' || action === 'refund' || action === 'show'
      ? { kind: 'premium', action }
      : { kind: 'error', message: 'premium buy | premium end | premium refund | premium' };
  }
  if (!text.startsWith('/'))
    return /^[a-z]+$/.test(text)
      ? { kind: 'button', action: text }
      : { kind: 'error', message: 'commands start with /' };
  const tokens = text.slice(1).match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  const [command, ...rest] = tokens;
  if (!command) return { kind: 'error', message: 'which command?' };
  const options: Record<string, string | number | boolean> = {};
  let subcommand: string | undefined;
  for (const token of rest) {
    const colon = token.indexOf(':');
    if (colon < 0) {
      if (subcommand !== undefined || Object.keys(options).length > 0)
        return { kind: 'error', message: `"${token}" needs the form name:value` };
      subcommand = token;
      continue;
    }
    const name = token.slice(0, colon);
    const raw = token.slice(colon + 1).replace(/^"(.*)"$/, '$1');
    const mention = /^@?(\w+)$/.exec(raw)?.[1];
    options[name] =
      mention !== undefined && members.has(mention.toLowerCase())
        ? members.get(mention.toLowerCase())!
        : /^-?\d+(\.\d+)?$/.test(raw) && !/^\d{15,}$/.test(raw)
          ? Number(raw)
          : raw === 'true' || raw === 'false'
            ? raw === 'true'
            : raw;
  }
  return { kind: 'slash', command, ...(subcommand !== undefined && { subcommand }), options };
}
