/** Debian's Chromium as every browser test in the workspace launches it (no downloads, no network beyond loopback). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Every browser context as the tests open it (spread into `browser.newContext`, overriding what a test needs):
 * a desktop viewport, and reduced motion, so that no CSS transition is caught half-way by a check. axe's
 * contrast check once judged a primary button while it faded from its disabled colour to its own.
 */
export const BROWSER_CONTEXT = {
  viewport: { width: 1280, height: 900 },
  reducedMotion: 'reduce',
} as const;
