import { describe, expect, it } from 'vitest';
import { parseLine, plain, render } from './render.js';

const members = new Map([
  ['alice', '200000000000000001'],
  ['bob', '200000000000000002'],
]);
const names = new Map([...members].map(([name, id]) => [id, name]));

describe('pnpm dev prompt', () => {
  it('parses slash commands, subcommands, options and member names', () => {
    expect(parseLine('/coinflip bet:50 side:heads', members)).toEqual({
      kind: 'slash',
      command: 'coinflip',
      options: { bet: 50, side: 'heads' },
    });
    expect(parseLine('/pay member:@bob amount:10 memo:"for lunch"', members)).toEqual({
      kind: 'slash',
      command: 'pay',
      options: { member: '200000000000000002', amount: 10, memo: 'for lunch' },
    });
    expect(parseLine('/fair verify round_id:1500000000000000000 server_seed:ab12', members)).toEqual({
      kind: 'slash',
      command: 'fair',
      subcommand: 'verify',
      options: { round_id: '1500000000000000000', server_seed: 'ab12' },
    });
    expect(parseLine('hit', members)).toEqual({ kind: 'button', action: 'hit' });
    expect(parseLine('as bob', members)).toEqual({ kind: 'as', member: 'bob' });
    expect(parseLine('premium buy', members)).toEqual({ kind: 'premium', action: 'buy' });
    expect(parseLine('premium', members)).toEqual({ kind: 'premium', action: 'show' });
    expect(parseLine('premium gift', members)).toMatchObject({ kind: 'error' });
    expect(parseLine('/pay amount:1 oops', members)).toMatchObject({ kind: 'error' });
  });

  it('renders replies as text, with mentions and timestamps resolved', () => {
    const now = 1_700_000_000_000;
    expect(plain('<@200000000000000002> has **🪙 5** — next <t:1700003600:R>', names, now)).toBe(
      '@bob has 🪙 5 — next in 60 min',
    );
    const text = render(
      {
        content: null,
        embeds: [
          {
            title: '🃏 Blackjack',
            description: 'Your hand: 10 6',
            fields: [{ name: 'Stake', value: '🪙 100' }],
          },
        ],
        components: [
          {
            type: 1,
            components: [
              { type: 2, label: 'Hit', custom_id: 'bj:1:hit:2' },
              { type: 2, label: 'Stand', custom_id: 'bj:1:stand:2' },
            ],
          },
        ],
        ephemeral: true,
        deferred: false,
      },
      names,
      now,
    );
    expect(text).toBe(
      '┃ 🃏 Blackjack\n┃ Your hand: 10 6\n┃ Stake: 🪙 100\n  [Hit] [Stand]  ← type hit / stand\n  (only you can see this)',
    );
  });
});
