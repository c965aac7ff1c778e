import { invalidInput } from '../errors.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Tenant } from '../tenant.js';
import type { RemoteCall, RemoteHttp } from './http.js';

/**
 * What API v1 offers of a tenant, with the SDK's own signatures and types (bigint amounts, Dates,
 * GuildmintError codes). Left out: what needs Discord's word about a member (rob, collect, trades,
 * levels, lottery), the bot's own bookkeeping (presence, imports, member profiles), plan and analytics
 * reads, and `ledger.transferAll`.
 */
export type RemoteTenant = Pick<
  Tenant,
  | 'id'
  | 'balance'
  | 'pay'
  | 'claim'
  | 'buy'
  | 'inventory'
  | 'use'
  | 'stock'
  | 'streak'
  | 'leaderboard'
  | 'holdings'
  | 'deposit'
  | 'withdraw'
  | 'gift'
  | 'sell'
  | 'profile'
  | 'robbery'
  | 'play'
  | 'act'
  | 'round'
  | 'fairness'
  | 'rotateSeed'
  | 'grant'
  | 'revoke'
  | 'freeze'
  | 'unfreeze'
  | 'isFrozen'
  | 'rollback'
  | 'auditLog'
  | 'stats'
  | 'config'
  | 'configHistory'
  | 'configVersion'
  | 'configure'
> & { readonly ledger: RemoteLedger };

export type RemoteLedger = Omit<Ledger, 'transferAll'>;

const seg = encodeURIComponent;
const member = (userId: string) => `/members/${seg(userId)}`;
/** The idempotency key of a keyed call: the caller's, or null for one the client makes. */
const keyOf = (o?: { key?: string | undefined }) => o?.key ?? null;
/** Drops the SDK-only options API v1 sets itself (the key travels as a header, the actor is the API key). */
function fieldsOf<T extends object>(o: T | undefined): Record<string, unknown> {
  const { key: _key, actor: _actor, ...fields } = (o ?? {}) as Record<string, unknown>;
  return fields;
}

export function createRemoteTenant(id: string, http: RemoteHttp): RemoteTenant {
  const get = <T>(path: string, fields?: Record<string, unknown>) =>
    http.call<T>({ method: 'GET', path, ...(fields && { fields }) });
  const post = <T>(path: string, fields: Record<string, unknown>, key?: RemoteCall['key']) =>
    http.call<T>({ method: 'POST', path, fields, ...(key !== undefined && { key }) });

  const ledger: RemoteLedger = {
    balance: async (account) =>
      (await get<{ balance: bigint }>(`/ledger/accounts/${seg(account)}/balance`)).balance,
    transfer: ({ id: key, ...t }) => post('/ledger/transfers', t, key ?? null),
    transfers: (q) => get('/ledger/transfers', q),
    reverse: (transferId, { id: key, ...o }) =>
      post(`/ledger/transfers/${seg(transferId)}/reverse`, o, key ?? null),
    verify: () => get('/ledger/verify'),
  };

  return {
    id,
    ledger,
    balance: async (userId) => (await get<{ balance: bigint }>(`${member(userId)}/balance`)).balance,
    pay: (i) => post('/payments', fieldsOf(i), keyOf(i)),
    claim: (faucet, userId, o) => post(`${member(userId)}/claims/${seg(faucet)}`, fieldsOf(o), keyOf(o)),
    buy: (userId, item, o) => post(`${member(userId)}/purchases`, { item, ...fieldsOf(o) }, keyOf(o)),
    inventory: (userId) => get(`${member(userId)}/inventory`),
    use: (userId, item, o) => post(`${member(userId)}/items/${seg(item)}/use`, {}, keyOf(o)),
    stock: () => get('/shop/stock'),
    streak: (userId, name) => get(`${member(userId)}/streak`, { name }),
    leaderboard: (o) => get('/leaderboard', o),
    holdings: (userId) => get(`${member(userId)}/holdings`),
    deposit: (userId, amount, o) => post(`${member(userId)}/bank/deposits`, { amount }, keyOf(o)),
    withdraw: (userId, amount, o) => post(`${member(userId)}/bank/withdrawals`, { amount }, keyOf(o)),
    gift: ({ from, ...i }) => post(`${member(from)}/gifts`, fieldsOf(i), keyOf(i)),
    sell: (userId, item, o) => post(`${member(userId)}/sales`, { item, ...fieldsOf(o) }, keyOf(o)),
    profile: (userId, o) =>
      get(`${member(userId)}/profile`, o?.viewer === undefined ? undefined : { viewer: o.viewer }),
    robbery: (robberyId) => get(`/robberies/${seg(robberyId)}`),
    play: (game, userId, input) =>
      post(`${member(userId)}/games/${seg(game)}`, fieldsOf(input), keyOf(input)),
    act: (roundId, action, o) =>
      post(`/rounds/${seg(roundId)}/actions`, { action, ...fieldsOf(o) }, keyOf(o)),
    round: (roundId) => get(`/rounds/${seg(roundId)}`),
    fairness: (userId) => get(`${member(userId)}/fairness`),
    rotateSeed: (userId, o) => post(`${member(userId)}/fairness/rotate`, fieldsOf(o)),
    grant: (userId, amount, o) => post(`${member(userId)}/grants`, { amount, ...fieldsOf(o) }, keyOf(o)),
    revoke: (userId, amount, o) =>
      post(`${member(userId)}/revocations`, { amount, ...fieldsOf(o) }, keyOf(o)),
    freeze: async (userId, o) => {
      await post(`${member(userId)}/freeze`, fieldsOf(o), keyOf(o));
    },
    unfreeze: async (userId, o) => {
      await post(`${member(userId)}/unfreeze`, fieldsOf(o), keyOf(o));
    },
    isFrozen: async (userId) => (await get<{ frozen: boolean }>(`${member(userId)}/frozen`)).frozen,
    rollback: (userId, o) =>
      post(`${member(userId)}/rollbacks`, { ...fieldsOf(o), since: o.since.toISOString() }, keyOf(o)),
    auditLog: async (q) => {
      if (q?.before instanceof Date)
        throw invalidInput('before', 'a remote audit log pages by entry, not by date');
      return get('/audit', { limit: q?.limit, before: q?.before?.id });
    },
    stats: () => get('/stats'),
    config: () => http.call({ method: 'GET', path: '/config', raw: true }),
    configHistory: () => get('/config/versions'),
    configVersion: (version) => http.call({ method: 'GET', path: `/config/versions/${version}`, raw: true }),
    configure: (config, o) => post('/config', { config, basedOn: o?.basedOn }),
  };
}
