import type { RouteResult } from '../rest/router.js';
import { describeScope } from './scopes.js';

// The authorize page: who logs in (one button per simulated user), or why the request cannot go on.
// Plain HTML and a little CSS; no script. Each button posts back to the same URL (query included).

export interface LoginPageInput {
  appName: string;
  scopes: string[];
  users: Array<{ id: string; username: string; globalName: string | null }>;
  /** Shown above the buttons, e.g. when a posted user id is unknown. */
  notice?: string | undefined;
}

const HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'referrer-policy': 'no-referrer',
};

export function loginPage(input: LoginPageInput, status = 200): RouteResult {
  const title = `Log in to ${input.appName}`;
  const users =
    input.users.length === 0
      ? `<p class="empty">The simulator has no users yet. Add one with <code>sim.addUser({ username })</code> or <code>sim.addMember(…)</code>, then reload.</p>`
      : `<ul class="users">${input.users
          .map((u) => {
            const display = u.globalName ?? u.username;
            return `<li><button type="submit" name="user_id" value="${escapeHtml(u.id)}" aria-label="Log in as ${escapeHtml(display)}">
  <span class="name">${escapeHtml(display)}</span><span class="meta">@${escapeHtml(u.username)} · ${escapeHtml(u.id)}</span>
</button></li>`;
          })
          .join('\n')}</ul>`;
  const body = `<h1>${escapeHtml(title)} as …</h1>
<p class="sub">Discord simulator — choose who logs in. <strong>${escapeHtml(input.appName)}</strong> will be able to:</p>
<ul class="scopes">${input.scopes.map((s) => `<li>${escapeHtml(describeScope(s))} <code>${escapeHtml(s)}</code></li>`).join('')}</ul>
${input.notice ? `<p class="notice" role="alert">${escapeHtml(input.notice)}</p>` : ''}
<form method="post">
${users}
<button type="submit" name="deny" value="1" class="cancel">Cancel</button>
</form>`;
  return { status, html: document(title, body), headers: HEADERS };
}

export interface InvitePageInput {
  botName: string;
  scopes: string[];
  /** The permission names the bot's role gets. */
  permissions: string[];
  /** One button per user who may add the bot to that guild. */
  choices: Array<{
    user: { id: string; username: string; globalName: string | null };
    guild: { id: string; name: string };
    /** The bot is there already (adding again updates its role's permissions). */
    present: boolean;
  }>;
  /** Shown above the buttons (why nothing can be chosen, or what went wrong). */
  notice?: string | undefined;
}

/** The bot-invite page: "Add {bot} to a server", one button per (user, guild) the user may add it to. */
export function invitePage(input: InvitePageInput, status = 200): RouteResult {
  const title = `Add ${input.botName} to a server`;
  const choices =
    input.choices.length === 0
      ? ''
      : `<ul class="users">${input.choices
          .map(({ user, guild, present }) => {
            const who = user.globalName ?? user.username;
            const label = `Add to ${guild.name} as ${who}`;
            return `<li><button type="submit" name="add" value="${escapeHtml(`${user.id}:${guild.id}`)}" aria-label="${escapeHtml(label)}">
  <span class="name">${escapeHtml(guild.name)}${present ? ' (already added)' : ''}</span><span class="meta">as ${escapeHtml(who)} (@${escapeHtml(user.username)}) · ${escapeHtml(guild.id)}</span>
</button></li>`;
          })
          .join('\n')}</ul>`;
  const permissions = input.permissions.length
    ? `<p class="sub">Its role gets: ${input.permissions.map(escapeHtml).join(', ')}.</p>`
    : '<p class="sub">It asks for no permissions.</p>';
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="sub">Discord simulator — choose the server, and who adds <strong>${escapeHtml(input.botName)}</strong>. It will be able to:</p>
<ul class="scopes">${input.scopes.map((s) => `<li>${escapeHtml(describeScope(s))} <code>${escapeHtml(s)}</code></li>`).join('')}</ul>
${permissions}
${input.notice ? `<p class="notice" role="alert">${escapeHtml(input.notice)}</p>` : ''}
<form method="post">
${choices}
<button type="submit" name="deny" value="1" class="cancel">Cancel</button>
</form>`;
  return { status, html: document(title, body), headers: HEADERS };
}

/** What the user sees after adding the bot when the invite has no `redirect_uri` (Discord: "Authorized"). */
export function addedPage(o: { botName: string; guildName: string; joined: boolean }): RouteResult {
  const title = 'Authorized';
  const message = o.joined
    ? `${o.botName} has been added to ${o.guildName}.`
    : `${o.botName} was already added to ${o.guildName}; its permissions were updated.`;
  const body = `<h1>${escapeHtml(title)}</h1>\n<p class="sub" role="status">${escapeHtml(message)} You may close this page.</p>`;
  return { status: 200, html: document(title, body), headers: HEADERS };
}

export function errorPage(status: number, title: string, message: string): RouteResult {
  const body = `<h1>${escapeHtml(title)}</h1>\n<p class="notice" role="alert">${escapeHtml(message)}</p>`;
  return { status, html: document(title, body), headers: HEADERS };
}

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Discord simulator</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #313338; color: #f2f3f5; }
  main { width: min(28rem, 100% - 2rem); background: #2b2d31; border-radius: 8px; padding: 1.5rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .5rem; }
  .sub, .scopes, .meta { color: #b5bac1; font-size: .875rem; }
  .scopes { padding-left: 1.25rem; }
  code { font-size: .75rem; color: #949ba4; }
  .users { list-style: none; padding: 0; display: grid; gap: .5rem; }
  button { width: 100%; border: 0; border-radius: 4px; padding: .75rem 1rem; font: inherit; cursor: pointer; text-align: left; }
  .users button { background: #4752c4; color: #fff; display: flex; flex-direction: column; }
  .users button:hover, .users button:focus-visible { background: #3c45a5; }
  .users .meta { color: #fff; }
  .cancel { background: transparent; color: #f2f3f5; text-align: center; margin-top: .5rem; }
  .notice { background: #4e2a2d; border-radius: 4px; padding: .5rem .75rem; }
  .empty { color: #b5bac1; }
</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
