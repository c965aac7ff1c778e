import { describe, expect, it } from 'vitest';
import { checkConfig } from './config-input';
import { previewConfig } from './preview';

// The editor's trades, log channel and reply texts sections: the SDK's schema decides, the editor shows
// each problem at its field, and the preview shows the texts as members would read them.
describe('editor: trades, log channel and reply texts', () => {
  it('names an unknown placeholder at its field, with the ones allowed', () => {
    const checked = checkConfig({ texts: { pay: '{member} paid {who}' } });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues).toEqual([
      {
        path: 'texts.pay',
        message: 'unknown placeholder {who}: this text may use {member}, {target}, {amount}',
      },
    ]);
  });

  it('refuses a log channel without a channel, and a trade expiry under a minute', () => {
    const checked = checkConfig({
      logChannel: { enabled: true },
      trades: { enabled: true, expirySeconds: 5 },
    });
    expect(checked.ok ? [] : checked.issues.map((i) => i.path).sort()).toEqual([
      'logChannel.channelId',
      'trades.expirySeconds',
    ]);
  });

  it('previews the custom texts with example values, pings neutralised', () => {
    const checked = checkConfig({ texts: { trade: '{member} ⇄ {target} @everyone' } });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(previewConfig(checked.config).texts).toEqual([
      { key: 'trade', text: '@alice ⇄ @bob @\u200beveryone' },
    ]);
  });

  it("names a bad branding colour at its field, and keeps an empty branding as Guildmint's look", () => {
    const checked = checkConfig({ branding: { color: 'teal', footer: 'Moonlight Café' } });
    expect(checked.ok ? [] : checked.issues.map((i) => i.path)).toEqual(['branding.color']);
    const plain = checkConfig({});
    expect(plain.ok && plain.config.branding).toEqual({ color: null, footer: null });
  });
});
