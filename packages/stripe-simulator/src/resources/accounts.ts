import { badState, invalidParam, missingParam } from '../errors.js';
import { LIST_PARAMS, page } from '../http/list.js';
import type { Route } from '../http/route.js';
import type { StripeObject } from '../store.js';
import type { World } from '../world.js';

/** What onboarding leaves an account as: not finished, able to take payments, or submitted but blocked. */
export type AccountState = 'pending' | 'enabled' | 'restricted';

export interface Account extends StripeObject {
  object: 'account';
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
  email: string | null;
  metadata: Record<string, string>;
  requirements: {
    currently_due: string[];
    eventually_due: string[];
    past_due: string[];
    disabled_reason: string | null;
    errors: unknown[];
    pending_verification: string[];
    current_deadline: null;
  };
  capabilities: Record<string, 'active' | 'inactive' | 'pending'>;
}

const ONBOARDING_DUE = [
  'business_profile.url',
  'external_account',
  'individual.first_name',
  'individual.last_name',
  'individual.verification.document',
  'tos_acceptance.date',
];

/** The account's fields for a state, as Stripe shows them. */
function stateFields(state: AccountState): Partial<Account> {
  const active = state === 'enabled';
  const due =
    state === 'pending' ? ONBOARDING_DUE : state === 'restricted' ? ['individual.verification.document'] : [];
  return {
    charges_enabled: active,
    payouts_enabled: active,
    details_submitted: state !== 'pending',
    capabilities: {
      card_payments: active ? 'active' : 'inactive',
      transfers: active ? 'active' : 'inactive',
    },
    requirements: {
      currently_due: due,
      eventually_due: due,
      past_due: state === 'restricted' ? due : [],
      disabled_reason: active
        ? null
        : state === 'pending'
          ? 'requirements.past_due'
          : 'requirements.past_due',
      errors: [],
      pending_verification: [],
      current_deadline: null,
    },
  };
}

/** Moves an account to a state; `account.updated` (a Connect event) when anything changed. */
export function setAccountState(world: World, account: Account, state: AccountState): Account {
  const fields = stateFields(state);
  const previous: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (JSON.stringify(account[key]) !== JSON.stringify(value)) {
      previous[key] = account[key];
      account[key] = value;
    }
  }
  if (Object.keys(previous).length > 0)
    world.emit('account.updated', account, { account: account.id, previous });
  return account;
}

export const accountRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/accounts',
    handle: ({ world, account, params }) => {
      if (account !== null) throw badState('Connected accounts cannot create accounts.');
      params.only([
        'type',
        'country',
        'email',
        'business_type',
        'capabilities',
        'metadata',
        'business_profile',
        'controller',
        'default_currency',
      ]);
      const profile = params.object('business_profile')?.only(['name', 'url', 'product_description', 'mcc']);
      const created: Account = {
        id: world.ids.next('acct'),
        object: 'account',
        business_profile: {
          mcc: null,
          name: profile?.string('name') ?? null,
          product_description: null,
          support_email: null,
          url: profile?.string('url') ?? null,
        },
        business_type:
          params.oneOf('business_type', [
            'individual',
            'company',
            'non_profit',
            'government_entity',
          ] as const) ?? null,
        capabilities: {},
        charges_enabled: false,
        country: params.string('country') ?? 'US',
        created: world.clock.now(),
        default_currency: params.string('default_currency') ?? 'usd',
        details_submitted: false,
        email: params.string('email') ?? null,
        external_accounts: { object: 'list', data: [], has_more: false, url: '' },
        metadata: params.metadata(),
        payouts_enabled: false,
        requirements: stateFields('pending').requirements as Account['requirements'],
        type: params.oneOf('type', ['express', 'standard', 'custom'] as const) ?? 'express',
      };
      Object.assign(created, stateFields('pending'));
      created.external_accounts = {
        object: 'list',
        data: [],
        has_more: false,
        url: `/v1/accounts/${created.id}/external_accounts`,
      };
      return world.store.add(created, null);
    },
  },
  {
    method: 'GET',
    path: '/v1/accounts/:id',
    handle: ({ world, account, path, params }) => {
      params.only([]);
      const id = path.id as string;
      if (account !== null && account !== id)
        throw invalidParam('account', `You can only retrieve the account you act as (${account}).`);
      return world.store.get('account', id, null, 'account');
    },
  },
  {
    method: 'POST',
    path: '/v1/accounts/:id',
    handle: ({ world, path, params }) => {
      params.only(['metadata', 'email']);
      const found = world.store.get<Account>('account', path.id as string, null, 'account');
      found.metadata = params.metadata('metadata', found.metadata);
      found.email = params.string('email') ?? found.email;
      return found;
    },
  },
  {
    method: 'GET',
    path: '/v1/accounts',
    handle: ({ world, params, url }) => {
      params.only([...LIST_PARAMS]);
      return page(world.store.all('account', null), params, url);
    },
  },
  {
    method: 'POST',
    path: '/v1/account_links',
    handle: ({ world, params }) => {
      params.only(['account', 'refresh_url', 'return_url', 'type', 'collect', 'collection_options']);
      const target = world.store.get<Account>('account', params.requiredString('account'), null, 'account');
      const type = params.oneOf('type', ['account_onboarding', 'account_update'] as const);
      if (!type) throw missingParam('type');
      const refreshUrl = params.requiredString('refresh_url');
      const returnUrl = params.requiredString('return_url');
      const token = world.ids.secret('link');
      const now = world.clock.now();
      world.hidden.accountLinks.set(token, {
        account: target.id,
        refreshUrl,
        returnUrl,
        expiresAt: now + 300,
        opened: false,
        finished: false,
      });
      return {
        id: token,
        object: 'account_link',
        created: now,
        expires_at: now + 300,
        url: `${world.baseUrl()}/connect/onboarding/${token}`,
      };
    },
  },
];
