import { describe, expect, it } from 'vitest';
import { brandReply, Colors, embed, reply } from './replies.js';

describe('brandReply', () => {
  const plain = { color: null, footer: null };

  it('leaves a reply as it is when the guild has no branding', () => {
    const r = reply(embed({ title: 'Balance' }));
    expect(brandReply(r, plain)).toBe(r);
  });

  it("puts the guild's colour on default embeds and its footer under those without one", () => {
    const r = {
      embeds: [
        embed({ title: 'Balance' }),
        embed({ title: 'You won', color: Colors.success, footer: 'Round r1' }),
      ],
      ephemeral: true,
    };
    const branded = brandReply(r, { color: '#1ABC9C', footer: 'Moonlight Café' });
    expect(branded).toEqual({
      embeds: [
        { title: 'Balance', color: 0x1abc9c, footer: { text: 'Moonlight Café' } },
        { title: 'You won', color: Colors.success, footer: { text: 'Round r1' } },
      ],
      ephemeral: true,
    });
    // The reply it was given is not changed.
    expect(r.embeds[0]).toEqual({ title: 'Balance', color: Colors.info });
    expect(brandReply(r, { color: null, footer: 'Moonlight Café' }).embeds[0]!.color).toBe(Colors.info);
  });
});
