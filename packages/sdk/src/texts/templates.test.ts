import { describe, expect, it } from 'vitest';
import { defineEconomy } from '../config/define.js';
import { ErrorCode, type ValidationError } from '../errors.js';
import { neutraliseMentions, previewTexts, renderText } from './templates.js';

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    defineEconomy(input as never);
  } catch (error) {
    expect((error as ValidationError).code).toBe(ErrorCode.CONFIG_INVALID);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('custom reply texts', () => {
  it('accepts the placeholders each text may use, and none is required', () => {
    const config = defineEconomy({ texts: { pay: '{member} sent {amount} to {target}!', claim: 'Nice.' } });
    expect(config.texts).toEqual({ pay: '{member} sent {amount} to {target}!', claim: 'Nice.' });
    expect(defineEconomy({}).texts).toEqual({});
  });

  it('refuses an unknown placeholder by its name, with the ones allowed', () => {
    const issues = issuesOf({ texts: { claim: 'You got {amount} from {boss} and {target}' } });
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatchObject({ path: 'texts.claim' });
    expect(issues[0]!.message).toContain('unknown placeholder {boss}');
    expect(issues[0]!.message).toContain('{member}, {amount}, {faucet}');
    expect(issues[1]!.message).toContain('unknown placeholder {target}');
  });

  it('refuses empty and over-long texts, and texts for replies it does not know', () => {
    expect(issuesOf({ texts: { pay: '   ' } })[0]).toMatchObject({ path: 'texts.pay' });
    expect(issuesOf({ texts: { pay: 'x'.repeat(301) } })[0]!.message).toContain('at most 300');
    expect(issuesOf({ texts: { rob: 'hi' } })[0]!.path).toBe('texts');
  });

  it('neutralises @everyone, @here and role mentions, in the text and in the values', () => {
    const text = renderText('@everyone look: {member} paid {target} <@&123> {amount} @HERE', {
      member: '<@1>',
      target: '<@2>',
      amount: '@everyone 5',
    });
    expect(text).toBe('@\u200beveryone look: <@1> paid <@2> @\u200brole @\u200beveryone 5 @\u200bHERE');
    expect(text).not.toMatch(/@(everyone|here)/i);
    expect(neutraliseMentions('<@&42>')).not.toContain('<@&');
  });

  it('previews each custom text with example values', () => {
    const config = defineEconomy({ texts: { gift: '{member} gave {target} {quantity} × {item}' } });
    expect(previewTexts(config.texts)).toEqual([{ key: 'gift', text: '@alice gave @bob 2 × Gem' }]);
  });
});

describe('log channel config', () => {
  it('is off by default and needs a channel when on', () => {
    expect(defineEconomy({}).logChannel).toMatchObject({ enabled: false, channelId: null });
    expect(issuesOf({ logChannel: { enabled: true } })[0]).toMatchObject({ path: 'logChannel.channelId' });
    expect(defineEconomy({ logChannel: { enabled: true, channelId: '42' } }).logChannel.events).toHaveLength(
      5,
    );
  });
});
