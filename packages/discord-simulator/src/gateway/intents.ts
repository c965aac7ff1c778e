import { GatewayDispatchEvents, GatewayIntentBits } from 'discord-api-types/v10';

const Event = GatewayDispatchEvents;

/** The intents an application must have switched on in the developer portal before identifying with them. */
export const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

/** The intent a dispatch needs; events missing here (READY, INTERACTION_CREATE, …) always go out. */
const REQUIRED: Partial<Record<string, number>> = {
  [Event.GuildCreate]: GatewayIntentBits.Guilds,
  [Event.GuildUpdate]: GatewayIntentBits.Guilds,
  [Event.GuildDelete]: GatewayIntentBits.Guilds,
  [Event.GuildRoleCreate]: GatewayIntentBits.Guilds,
  [Event.GuildRoleUpdate]: GatewayIntentBits.Guilds,
  [Event.GuildRoleDelete]: GatewayIntentBits.Guilds,
  [Event.ChannelCreate]: GatewayIntentBits.Guilds,
  [Event.ChannelUpdate]: GatewayIntentBits.Guilds,
  [Event.ChannelDelete]: GatewayIntentBits.Guilds,
  [Event.GuildMemberAdd]: GatewayIntentBits.GuildMembers,
  [Event.GuildMemberUpdate]: GatewayIntentBits.GuildMembers,
  [Event.GuildMemberRemove]: GatewayIntentBits.GuildMembers,
  [Event.MessageCreate]: GatewayIntentBits.GuildMessages,
  [Event.MessageUpdate]: GatewayIntentBits.GuildMessages,
  [Event.MessageDelete]: GatewayIntentBits.GuildMessages,
  [Event.VoiceStateUpdate]: GatewayIntentBits.GuildVoiceStates,
};

/**
 * Whether a session identified with `intents` receives event `t`. `aboutSelf` marks events about the
 * bot's own member, which Discord sends whatever the intents.
 */
export function receives(intents: number, t: string, aboutSelf = false): boolean {
  const needed = REQUIRED[t];
  if (needed === undefined) return true;
  if (aboutSelf && t === Event.GuildMemberUpdate) return true;
  return (intents & needed) === needed;
}
