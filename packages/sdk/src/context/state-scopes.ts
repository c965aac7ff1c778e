/** The scopes of `gm_state` rows; keys are built by the primitive that owns the scope. */
export const STATE = {
  /** `<faucet>:<user>` → last claim time (ms). */
  cooldown: 'cooldown',
  /** `<faucet>:<user>:<day>` → claims that day. */
  claims: 'claims',
  /** `<day>` → minted by faucets that day. */
  emission: 'emission',
  /** `<streak>:<user>` → streak state (json). */
  streak: 'streak',
  /** `<item>` → units sold. */
  stock: 'stock',
  /** `<user>:<item>` → units bought, ever. */
  bought: 'bought',
  /** `<user>:<item>` → units held. */
  inventory: 'inv',
  /** `<key>` → the request an idempotency key was spent on (json: operation, fingerprint, result). */
  operation: 'op',
  /** `<user>` → provably fair seed state (json). */
  seed: 'seed',
  /** `<roundId>` → an open or finished game round (json). */
  round: 'round',
  /** `<user>` → when the member's unfinished round times out (0: none), and its id (json). */
  openRound: 'open-round',
  /** `bot` → whether the bot is in the guild (json), as the runtime reports it. */
  presence: 'presence',
  /** `<rail>:<ref>` → a plan entitlement (json), value: when the rail's state was observed (ms). */
  entitlement: 'entitlement',
  /** `<user>` → the day (number) up to which the member's bank interest is paid; every bank move guards its version. */
  bank: 'bank',
  /** `<robber>` → when the member last tried a robbery (ms). */
  robber: 'robber',
  /** `<target>` → when the member was last robbed (ms); every robbery of them guards its version. */
  robbed: 'robbed',
  /** `<robberyId>` → a robbery as decided (json), for `/fair verify`. */
  robbery: 'robbery',
  /** `<user>:<role>:<period>` → role income collected for that day or week. */
  roleIncome: 'role-income',
  /** `<kind>:<accounts>:<when>` → when an anomaly flag was first found and announced (ms). */
  anomaly: 'anomaly',
  /** `faucet-multiplier` → the auto-balancer's current faucet multiplier (bps). */
  policy: 'policy',
  /** `<tradeId>` → a trade (json); value: when it expires (ms) while open, 0 once closed. */
  trade: 'trade',
  /** `<user>` → when the member's last message was rewarded (ms): one per window (levels). */
  activityWindow: 'activity-window',
  /** `<user>:<day>` → coins the member earned from activity that day. */
  activityDay: 'activity-day',
  /** `<user>` → the member's total XP (levels); every reward guards its version. */
  xp: 'xp',
  /** `<user>` → the runtime's voice session of the member (json, levels/voice-session.ts); value 1 while in voice. */
  voiceSession: 'voice-session',
  /** `<round>` → the round's committed server seed (json; secret until its draw). */
  lotterySeed: 'lottery-seed',
  /** `<round>` → tickets sold in a lottery round; the draw closes it (value LOTTERY_CLOSED). */
  lotteryRound: 'lottery-round',
  /** `<round>:<user>` → tickets a member holds in a lottery round. */
  lotteryTickets: 'lottery-tickets',
  /** `<round>` → a lottery draw as decided (json), to show and verify. */
  lotteryDraw: 'lottery-draw',
  /** `audit` → how far the runtime's log channel has followed the audit log and config history (json). */
  logCursor: 'log-cursor',
} as const;
