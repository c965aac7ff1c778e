import { describe, expect, it } from 'vitest';
import { RuntimeError } from './errors.js';
import { OptionReader } from './options.js';

describe('option reader', () => {
  it('reads values by name, tolerating numbers sent as text', () => {
    const options = new OptionReader([
      { name: 'bet', type: 4, value: '50' },
      { name: 'side', type: 3, value: 'heads' },
      { name: 'target', type: 10, value: 49.5 },
      { name: 'member', type: 6, value: '123456789012345678' },
    ]);
    expect(options.amount('bet', 0)).toBe(50n);
    expect(options.integer('bet')).toBe(50);
    expect(options.string('side', true)).toBe('heads');
    expect(options.number('target')).toBe(49.5);
    expect(options.user('member')).toBe('123456789012345678');
    expect(options.string('memo')).toBeUndefined();
    expect(options.subcommand).toBeUndefined();
  });

  it('reads the options of a subcommand', () => {
    const options = new OptionReader([
      { name: 'verify', type: 1, options: [{ name: 'round_id', type: 3, value: '42' }] },
    ]);
    expect(options.subcommand).toBe('verify');
    expect(options.string('round_id')).toBe('42');
  });

  it('names the option that is missing or unusable', () => {
    const options = new OptionReader([
      { name: 'bet', type: 3, value: 'lots' },
      { name: 'n', type: 3, value: '1.5' },
      { name: 'member', type: 3, value: 'bob' },
    ]);
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(RuntimeError);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(message(() => options.string('side', true))).toBe('`side` is required.');
    expect(message(() => options.amount('bet', 0))).toMatch(/^`bet` must be a positive number/);
    expect(message(() => options.amount('missing', 0))).toBe('`missing` is required.');
    expect(message(() => options.integer('n'))).toBe('`n` must be a whole number.');
    expect(message(() => options.number('bet'))).toBe('`bet` must be a number.');
    expect(message(() => options.user('member'))).toBe('`member` must be a member.');
  });
});
