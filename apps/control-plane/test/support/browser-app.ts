import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordSimulator } from '@guildmint/discord-simulator';
import { createEconomy, type Economy } from '@guildmint/sdk';
import { BROWSER_CONTEXT, CHROMIUM_ARGS, CHROMIUM_PATH } from '@guildmint/test-support';
import { type Browser, chromium, type Page } from 'playwright-core';
import { APP_DIR, ensureBuilt, type RunningApp, startAppWithSimulator } from './app-server';
import { expectAccessible } from './axe';

export const ARTIFACTS = join(APP_DIR, 'artifacts', 'e2e');

/** The control plane built and started, a Discord simulator with one owner and guild, and Chromium. */
export interface BrowserApp {
  dir: string;
  sim: DiscordSimulator;
  app: RunningApp;
  browser: Browser;
  page: Page;
  /** The economy store the app serves (a libSQL file in `dir`), opened by the test too. */
  economy: Economy;
  guildId: string;
  /** A full-page screenshot in artifacts/e2e. */
  snap(name: string): Promise<void>;
  /** No serious or critical accessibility violations on the current page (axe). */
  expectAccessible(name: string): Promise<void>;
  /** Logs in through the simulator's OAuth2 and creates the guild's economy from a preset. */
  onboard(preset?: 'Classic' | 'Casino' | 'Cozy'): Promise<void>;
  close(): Promise<void>;
}

/**
 * `next build && next start` against a fresh data folder, with the owner's guild (the bot reported
 * present straight into the economy store: no runtime) and a Chromium page.
 */
export async function startBrowserApp(o: {
  ownerId: string;
  ownerName: string;
  guildName: string;
  /** More of the app's environment, from the simulator (such as its bot token). */
  env?: (sim: DiscordSimulator) => Record<string, string>;
}): Promise<BrowserApp> {
  const buildMs = await ensureBuilt();
  console.log(
    `e2e: next build ${buildMs ? `${(buildMs / 1000).toFixed(1)} s` : 'reused (sources unchanged)'}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'guildmint-e2e-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const sim = await DiscordSimulator.start();
  sim.addUser({ id: o.ownerId, username: 'owner', globalName: o.ownerName });
  const guildId = sim.addGuild({ name: o.guildName, ownerId: o.ownerId, withBot: true }).id;
  const economy = createEconomy({ storage: `file:${join(dir, 'economy.db')}` });
  await economy.migrate();
  await economy.tenant(guildId).reportPresence(true);
  const app = await startAppWithSimulator(sim, dir, { env: o.env?.(sim) ?? {} });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext(BROWSER_CONTEXT)).newPage();
  return {
    dir,
    sim,
    app,
    browser,
    page,
    economy,
    guildId,
    async snap(name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    expectAccessible: (name) => expectAccessible(page, name),
    async onboard(preset = 'Classic') {
      await page.goto(app.url);
      await page.getByRole('button', { name: 'Log in with Discord' }).click();
      await page.getByRole('button', { name: `Log in as ${o.ownerName}` }).click();
      await page.waitForURL(`${app.url}/guilds`);
      const card = page
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: o.guildName }) });
      await card.getByRole('link', { name: 'Set up economy' }).click();
      await page.getByRole('radio', { name: new RegExp(preset) }).check();
      await page.getByRole('button', { name: 'Create economy' }).click();
      await page.waitForURL(`${app.url}/t/${guildId}/economy`);
    },
    async close() {
      await browser.close();
      await app.stop();
      await sim.close();
      await economy.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
