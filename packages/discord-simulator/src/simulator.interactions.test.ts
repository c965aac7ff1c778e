import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  type Client,
  DiscordAPIError,
  EmbedBuilder,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DiscordSimulator,
  type DiscordSimulatorOptions,
  isSimulatorError,
  SimulatorErrorCode,
} from './index.js';
import { connectClient } from './testing.js';

const ALICE = '300000000000000001';
const BOB = '300000000000000002';

let sim: DiscordSimulator;
let client: Client;
let guildId: string;
let errors: Error[];

afterEach(async () => {
  await client?.destroy();
  await sim?.close();
});

/** A simulator with one guild (Alice and Bob in it) and a logged-in client whose handler the test supplies. */
async function setup(
  handler: (interaction: Interaction) => Promise<void>,
  options: DiscordSimulatorOptions = {},
) {
  sim = await DiscordSimulator.start(options);
  guildId = sim.addGuild({ name: 'Casino' }).id;
  sim.addMember(guildId, { id: ALICE, username: 'alice' });
  sim.addMember(guildId, { id: BOB, username: 'bob' });
  ({ client, errors } = await connectClient(sim));
  client.on('interactionCreate', (interaction) => {
    handler(interaction).catch((error: unknown) => errors.push(error as Error));
  });
}

function callbacks() {
  return sim.calls.filter((c) => c.path.endsWith('/callback'));
}

describe('slash commands', () => {
  it('delivers a slash command with its options and member, and resolves with the reply', async () => {
    let seen: ChatInputCommandInteraction | undefined;
    await setup(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen = interaction;
      await interaction.reply({
        content: `paid ${interaction.options.getInteger('amount')} to ${interaction.options.getUser('to')?.username}`,
        embeds: [new EmbedBuilder().setTitle('Receipt').setDescription('ok')],
      });
    });
    await client.guilds.cache.get(guildId)!.commands.set([
      {
        name: 'pay',
        description: 'Pay a member',
        options: [
          { type: 6, name: 'to', description: 'Who', required: true },
          { type: 4, name: 'amount', description: 'How much', required: true, min_value: 1 },
        ],
      },
    ]);

    const reply = await sim.slash({
      guildId,
      userId: ALICE,
      command: 'pay',
      options: { to: BOB, amount: 25 },
    });

    expect(reply).toMatchObject({
      type: 4,
      content: 'paid 25 to bob',
      ephemeral: false,
      deferred: false,
      deleted: false,
    });
    expect(reply.embeds).toEqual([expect.objectContaining({ title: 'Receipt', description: 'ok' })]);
    expect(reply.messageId).toMatch(/^\d+$/);
    expect(reply.latencyMs).toBeGreaterThanOrEqual(0);
    expect(reply.latencyMs).toBe(reply.ackLatencyMs);
    expect(seen?.commandId).toBe(sim.commands(guildId)[0]?.id);
    expect(seen?.guildId).toBe(guildId);
    expect(seen?.channelId).toBe(sim.guild(guildId)?.channelId);
    expect(seen?.user.id).toBe(ALICE);
    expect(seen?.memberPermissions?.has('SendMessages')).toBe(true);
    expect(seen?.appPermissions.has('ManageRoles')).toBe(true);
    expect(seen?.options.getMember('to')).toBeTruthy();
    expect(sim.messages(sim.guild(guildId)!.channelId).map((m) => m.content)).toEqual(['paid 25 to bob']);
    expect(callbacks().map((c) => [c.status, c.query])).toEqual([[204, 'with_response=false']]);
    expect(errors).toEqual([]);
  });

  it('resolves with the edit after deferReply, and keeps the deferral ephemeral', async () => {
    await setup(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: 'your balance is 10' });
    });

    const reply = await sim.slash({ guildId, userId: ALICE, command: 'balance' });

    expect(reply).toMatchObject({ type: 5, deferred: true, ephemeral: true, content: 'your balance is 10' });
    expect(reply.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(reply.flags & MessageFlags.Loading).toBe(0);
    expect(reply.latencyMs).toBeGreaterThanOrEqual(reply.ackLatencyMs);
    expect(
      sim.calls.some(
        (c) => c.method === 'PATCH' && c.path.endsWith('/messages/@original') && c.status === 200,
      ),
    ).toBe(true);
    // Ephemeral replies are not in the channel for others to see.
    expect(sim.messages(sim.guild(guildId)!.channelId)).toEqual([]);
  });

  it('turns the first follow-up after a deferral into the reply, and collects later follow-ups', async () => {
    await setup(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.followUp('first');
      await interaction.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
    });

    const reply = await sim.slash({ guildId, userId: ALICE, command: 'work' });
    expect(reply).toMatchObject({ type: 5, content: 'first', ephemeral: false });
    await expect.poll(() => reply.followUps.length).toBe(1);
    expect(reply.followUps[0]).toMatchObject({ content: 'second', ephemeral: true });
  });

  it('serves fetchReply and deleteReply on @original', async () => {
    let fetched: string | undefined;
    await setup(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      fetched = (await interaction.fetchReply()).id;
      await interaction.deleteReply();
    });
    const reply = await sim.slash({ guildId, userId: ALICE, command: 'vanish' });
    expect(reply).toMatchObject({ type: 5, deleted: true, content: null });
    expect(fetched).toBe(reply.messageId);
    expect(sim.messages(sim.guild(guildId)!.channelId)).toEqual([]);
  });

  it('returns the callback resource with withResponse, as discord.js expects', async () => {
    let messageId: string | undefined;
    await setup(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const response = await interaction.reply({ content: 'hi', withResponse: true });
      messageId = response.resource?.message?.id;
    });
    const reply = await sim.slash({ guildId, userId: ALICE, command: 'hello' });
    await expect.poll(() => messageId).toBe(reply.messageId);
    expect(callbacks()[0]).toMatchObject({ status: 200, query: 'with_response=true' });
  });

  it('refuses a second acknowledgement with 40060 and an invocation Discord’s client would not send', async () => {
    let second: unknown;
    await setup(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply('one');
      // Bypass discord.js's own guard to hit the API like a buggy bot would.
      second = await client.rest
        .post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
          body: { type: 4, data: { content: 'two' } },
          auth: false,
        })
        .catch((error: unknown) => error);
    });
    await client.guilds.cache.get(guildId)!.commands.set([
      {
        name: 'pay',
        description: 'Pay',
        options: [{ type: 4, name: 'amount', description: 'How much', required: true }],
      },
    ]);

    await sim.slash({ guildId, userId: ALICE, command: 'pay', options: { amount: 1 } });
    await expect.poll(() => second).toBeInstanceOf(DiscordAPIError);
    expect((second as DiscordAPIError).code).toBe(40060);

    for (const bad of [{}, { amount: 'ten' }, { amount: 1, extra: true }, { amount: 1.5 }]) {
      const error = await sim
        .slash({ guildId, userId: ALICE, command: 'pay', options: bad })
        .catch((e: unknown) => e);
      expect(isSimulatorError(error, SimulatorErrorCode.INVALID_COMMAND)).toBe(true);
    }
  });
});

describe('components', () => {
  it('clicks a button on the reply; update() edits that message', async () => {
    await setup(async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('hit').setLabel('Hit').setStyle(ButtonStyle.Primary),
          new ButtonBuilder().setCustomId('stand').setLabel('Stand').setStyle(ButtonStyle.Secondary),
        );
        await interaction.reply({ content: 'Your hand: 12', components: [row] });
      } else if (interaction.isButton()) {
        expect(interaction.message.content).toBe('Your hand: 12');
        await interaction.update({ content: `You chose ${interaction.customId}`, components: [] });
      }
    });

    const hand = await sim.slash({ guildId, userId: ALICE, command: 'blackjack' });
    expect(hand.components).toHaveLength(1);
    const after = await sim.click({ guildId, userId: ALICE, message: hand, customId: 'stand' });

    expect(after).toMatchObject({
      type: 7,
      content: 'You chose stand',
      messageId: hand.messageId,
      components: [],
    });
    expect(sim.latest(hand.interactionId)?.content).toBe('You chose stand');
    const gone = await sim
      .click({ guildId, userId: ALICE, message: hand, customId: 'hit' })
      .catch((e: unknown) => e);
    expect(isSimulatorError(gone, SimulatorErrorCode.UNKNOWN_COMPONENT)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('resolves a deferUpdate with the following edit, and a select menu with its values', async () => {
    await setup(async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const menu = new StringSelectMenuBuilder()
          .setCustomId('item')
          .addOptions({ label: 'Sword', value: 'sword' }, { label: 'Shield', value: 'shield' });
        const button = new ButtonBuilder()
          .setCustomId('refresh')
          .setLabel('Refresh')
          .setStyle(ButtonStyle.Primary);
        await interaction.reply({
          content: 'Shop',
          components: [
            new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu),
            new ActionRowBuilder<ButtonBuilder>().addComponents(button),
          ],
        });
      } else if (interaction.isButton()) {
        await interaction.deferUpdate();
        await interaction.editReply({ content: 'Shop (refreshed)' });
      } else if (interaction.isStringSelectMenu()) {
        await interaction.reply({
          content: `bought ${interaction.values.join(',')}`,
          flags: MessageFlags.Ephemeral,
        });
      }
    });

    const shop = await sim.slash({ guildId, userId: ALICE, command: 'shop' });
    const refreshed = await sim.click({ guildId, userId: BOB, message: shop, customId: 'refresh' });
    expect(refreshed).toMatchObject({
      type: 6,
      deferred: true,
      content: 'Shop (refreshed)',
      messageId: shop.messageId,
    });
    const bought = await sim.select({
      guildId,
      userId: BOB,
      message: shop,
      customId: 'item',
      values: ['shield'],
    });
    expect(bought).toMatchObject({ type: 4, content: 'bought shield', ephemeral: true });
    const other = await sim
      .click({ guildId, userId: ALICE, message: bought, customId: 'x' })
      .catch((e: unknown) => e);
    expect(isSimulatorError(other, SimulatorErrorCode.UNKNOWN_MESSAGE)).toBe(true);
  });
});

describe('files and modals', () => {
  it('accepts a reply with a file (multipart) and a modal', async () => {
    await setup(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      if (interaction.commandName === 'export') {
        await interaction.reply({
          content: 'your ledger',
          files: [{ attachment: Buffer.from('a,b\n1,2\n'), name: 'ledger.csv' }],
        });
      } else {
        const modal = new ModalBuilder()
          .setCustomId('gift')
          .setTitle('Send a gift')
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder().setCustomId('note').setLabel('Note').setStyle(TextInputStyle.Short),
            ),
          );
        await interaction.showModal(modal);
      }
    });

    const exported = await sim.slash({ guildId, userId: ALICE, command: 'export' });
    expect(exported.content).toBe('your ledger');
    expect(exported.attachments).toEqual([{ id: expect.any(String), filename: 'ledger.csv', size: 8 }]);
    expect(sim.calls.find((c) => c.path.endsWith('/callback'))?.body).toMatchObject({
      files: [{ name: 'ledger.csv', size: 8 }],
    });

    const gift = await sim.slash({ guildId, userId: ALICE, command: 'gift' });
    expect(gift).toMatchObject({
      type: 9,
      messageId: '',
      modal: { custom_id: 'gift', title: 'Send a gift' },
    });
    expect(errors).toEqual([]);
  });
});

describe('Discord’s deadlines', () => {
  it('rejects an acknowledgement after 3 s with 10062 Unknown interaction, and records the call', async () => {
    let clock = Date.now();
    let botError: unknown;
    await setup(
      async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        clock += 3_001; // the bot "took" just over three seconds
        botError = await interaction.reply('too late').catch((error: unknown) => error);
      },
      { now: () => clock },
    );

    const outcome = await sim.slash({ guildId, userId: ALICE, command: 'slow' }).catch((e: unknown) => e);

    expect(isSimulatorError(outcome, SimulatorErrorCode.LATE_ACKNOWLEDGEMENT)).toBe(true);
    expect((outcome as Error).message).toMatch(/3001 ms/);
    await expect.poll(() => botError).toBeInstanceOf(DiscordAPIError);
    expect((botError as DiscordAPIError).code).toBe(10062);
    expect(callbacks().map((c) => c.status)).toEqual([404]);
    expect(sim.messages(sim.guild(guildId)!.channelId)).toEqual([]);
  });

  it('fails the wait when the bot never acknowledges', async () => {
    await setup(async () => {}, { ackDeadlineMs: 100 });
    const outcome = await sim.slash({ guildId, userId: ALICE, command: 'ignored' }).catch((e: unknown) => e);
    expect(isSimulatorError(outcome, SimulatorErrorCode.NOT_ACKNOWLEDGED)).toBe(true);
    expect((outcome as Error).message).toMatch(/did not acknowledge within 100 ms/);
  });

  it('fails the wait when a deferral is never completed, and refuses the token after 15 minutes', async () => {
    let clock = Date.now();
    let interaction: ChatInputCommandInteraction | undefined;
    await setup(
      async (i) => {
        if (!i.isChatInputCommand()) return;
        interaction = i;
        await i.deferReply();
      },
      { now: () => clock },
    );
    const outcome = await sim
      .slash({ guildId, userId: ALICE, command: 'deferred', timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(isSimulatorError(outcome, SimulatorErrorCode.TIMEOUT)).toBe(true);
    expect((outcome as Error).message).toMatch(/acknowledged with type 5/);

    clock += 15 * 60_000 + 1;
    const expired = await interaction!.editReply('finally').catch((error: unknown) => error);
    expect((expired as DiscordAPIError).code).toBe(50027);
    expect((expired as DiscordAPIError).status).toBe(401);
  });
});

describe('replay', () => {
  it('sends the same interaction id again with a new token', async () => {
    const seen: Array<{ id: string; token: string }> = [];
    await setup(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const duplicate = seen.some((s) => s.id === interaction.id);
      seen.push({ id: interaction.id, token: interaction.token });
      await interaction.reply(duplicate ? 'already done' : 'claimed 100');
    });

    const first = await sim.slash({
      guildId,
      userId: ALICE,
      command: 'daily',
      interactionId: '1300000000000000000',
    });
    const again = await sim.replay(first.interactionId);

    expect(first.content).toBe('claimed 100');
    expect(again).toMatchObject({ interactionId: '1300000000000000000', content: 'already done' });
    expect(seen.map((s) => s.id)).toEqual(['1300000000000000000', '1300000000000000000']);
    expect(seen[0]?.token).not.toBe(seen[1]?.token);
  });
});
