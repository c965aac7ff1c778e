import type { EconomyConfig, RobberyConfig } from '../config/schema.js';
import { type MemberContext, memberAccount, memberEvidence } from '../context/member-account.js';
import { STATE } from '../context/state-scopes.js';
import type { TenantContext } from '../context/tenant-context.js';
import { ErrorCode, GuildmintError, invalidInput, isGuildmintError, RetryLaterError } from '../errors.js';
import { hashServerSeed } from '../games/fairness.js';
import { toPublic } from '../ledger/ledger.js';
import type { Transfer } from '../ledger/types.js';
import {
  type RobberyOutcome,
  type RobberyProof,
  robberyFromSeeds,
  robberyParams,
} from '../robbery/decide.js';
import { readScope, type StateEffect, type StateRef } from '../stores/types.js';
import { bindKey, runKeyed, spendKey } from './keyed.js';
import { commitTransfers, newTransfer } from './receipt.js';
import { rememberSeed, seedEffect, seedOf, seedRef } from './seeds.js';

/** Where failed robbers' fines go: destroyed, like every sink. */
const ROBBERY_SINK = 'sink:robbery';

export interface RobberyInput {
  /** The robber's and the target's roles and join dates (protections and opt-out roles need them). */
  robber?: MemberContext;
  target?: MemberContext;
  key?: string;
}

/** A robbery as decided: who, the outcome and its proof (verify with `verifyRobbery` after `/fair rotate`). */
export interface RobberyResult {
  /** The robbery's id (its key): look it up with `tenant.robbery(id)`. */
  id: string;
  robberId: string;
  targetId: string;
  outcome: RobberyOutcome;
  proof: RobberyProof;
  /** What moved: the stolen coins, or the fine (none when the fine came to 0). */
  transfers: Transfer[];
  createdAt: Date;
  replayed: boolean;
}

/** What the store keeps of a robbery (state scope `robbery`): the result without its transfers. */
type RobberyRecord = Omit<RobberyResult, 'transfers' | 'replayed' | 'createdAt'> & {
  createdAt: string;
  transferIds: string[];
};

/**
 * `robber` tries to take part of `target`'s wallet (never the bank). The outcome is drawn from the
 * robber's provably fair seeds at their next nonce, with a chance that depends on both wallets; a
 * failure pays a fine to `sink:robbery`. Every robbery of one target guards the target's row, so two
 * robbers racing for one wallet are decided one after the other, each on the wallet the other left.
 */
export async function rob(
  ctx: TenantContext,
  robberId: string,
  targetId: string,
  o: RobberyInput = {},
): Promise<RobberyResult> {
  const robber = memberAccount(robberId, 'robberId');
  const target = memberAccount(targetId, 'targetId');
  if (robber === target) throw invalidInput('targetId', 'you cannot rob yourself');
  const bound = bindKey('rob', o.key, {
    robberId,
    targetId,
    robber: memberEvidence(o.robber, 'robber'),
    target: memberEvidence(o.target, 'target'),
  });
  const refs = (): StateRef[] => [
    seedRef(robberId),
    { scope: STATE.robber, key: robberId },
    { scope: STATE.robbed, key: targetId },
  ];
  return runKeyed(ctx, bound, {
    member: robberId,
    reads: (config) => (config.robbery.enabled ? refs() : []),
    attempt: async ({ config, now, state }) => {
      const rules = robberyRules(config);
      checkMember(rules, o.robber, now, 'you');
      checkMember(rules, o.target, now, 'they');
      const [seedRefOf, robberRef, robbedRef] = refs() as [StateRef, StateRef, StateRef];
      const lastTry = state(robberRef.scope, robberRef.key);
      const cooldownMs = rules.cooldownSeconds * 1000;
      if (lastTry && Number(lastTry.value) + cooldownMs > now.getTime()) {
        const retryAt = new Date(Number(lastTry.value) + cooldownMs);
        throw new RetryLaterError(
          ErrorCode.COOLDOWN,
          `you can try again at ${retryAt.toISOString()}`,
          retryAt,
        );
      }
      const robbed = state(robbedRef.scope, robbedRef.key);
      if (robbed && Number(robbed.value) + rules.protectionAfterRobbedSeconds * 1000 > now.getTime()) {
        throw new GuildmintError(
          ErrorCode.NOT_ELIGIBLE,
          'they were robbed a moment ago; leave them be for now',
        );
      }
      const [robberWallet, targetWallet, robberFrozen, targetFrozen, lastMove] = await Promise.all([
        ctx.store.balance(ctx.tenant, robber),
        ctx.store.balance(ctx.tenant, target),
        ctx.store.isFrozen(ctx.tenant, robber),
        ctx.store.isFrozen(ctx.tenant, target),
        rules.inactiveDays > 0 ? ctx.store.listTransfers(ctx.tenant, { account: target, limit: 1 }) : [],
      ]);
      // Everything that could refuse is checked before the draw: a refusal after it would tell the robber
      // how this nonce falls without spending it.
      if (robberFrozen) throw new GuildmintError(ErrorCode.ACCOUNT_FROZEN, 'your wallet is frozen');
      if (targetFrozen) throw new GuildmintError(ErrorCode.NOT_ELIGIBLE, 'their wallet is frozen');
      const lastAt = lastMove[0]?.createdAt.getTime();
      if (
        rules.inactiveDays > 0 &&
        (lastAt === undefined || now.getTime() - lastAt > rules.inactiveDays * 86_400_000)
      ) {
        throw new GuildmintError(
          ErrorCode.NOT_ELIGIBLE,
          'they have not been around lately; inactive members are safe',
        );
      }
      if (robberWallet < BigInt(rules.minWallet)) {
        throw new GuildmintError(
          ErrorCode.NOT_ELIGIBLE,
          `you need at least ${rules.minWallet} in your wallet to rob`,
        );
      }
      if (targetWallet === 0n) throw new GuildmintError(ErrorCode.NOT_ELIGIBLE, 'their wallet is empty');

      const { seeds, version } = seedOf(ctx, state(seedRefOf.scope, seedRefOf.key));
      const params = robberyParams(rules, robberWallet, targetWallet);
      const outcome = robberyFromSeeds(seeds.serverSeed, seeds.clientSeed, seeds.nonce, params);
      const proof: RobberyProof = {
        serverSeedHash: hashServerSeed(seeds.serverSeed),
        clientSeed: seeds.clientSeed,
        nonce: seeds.nonce,
        params,
      };
      const amount = BigInt(outcome.amount);
      const transfers =
        amount === 0n
          ? []
          : outcome.success
            ? [newTransfer(bound.key, target, robber, amount, 'robbery.stolen')]
            : [newTransfer(bound.key, robber, ROBBERY_SINK, amount, 'sink.robbery')];
      const record: RobberyRecord = {
        id: bound.key,
        robberId,
        targetId,
        outcome,
        proof,
        createdAt: now.toISOString(),
        transferIds: transfers.map((t) => t.id),
      };
      const guard = { code: ErrorCode.CONCURRENT_UPDATE, message: 'someone else moved first; try again' };
      const nextSeeds = { ...seeds, nonce: seeds.nonce + 1 };
      const effects: StateEffect[] = [
        spendKey(bound),
        seedEffect(robberId, nextSeeds, version),
        {
          kind: 'set',
          ...robberRef,
          value: BigInt(now.getTime()),
          version: lastTry?.version ?? 0n,
          fail: guard,
        },
        {
          kind: 'set',
          ...robbedRef,
          value: outcome.success ? BigInt(now.getTime()) : (robbed?.value ?? 0n),
          version: robbed?.version ?? 0n,
          fail: guard,
        },
        {
          kind: 'set',
          scope: STATE.robbery,
          key: bound.key,
          value: 0n,
          json: JSON.stringify(record),
          version: 0n,
          fail: guard,
        },
      ];
      try {
        const stored = await commitTransfers(ctx, transfers, { effects });
        // The next round starts from these seeds without reading them (see `play`).
        rememberSeed(ctx, robberId, nextSeeds, version);
        return { ...resultOf(record, false), transfers: stored.map(toPublic) };
      } catch (error) {
        // A wallet moved between the read and the commit (a payment): decide again on fresh balances,
        // at the same nonce, rather than refuse after the draw.
        if (isGuildmintError(error, ErrorCode.INSUFFICIENT_FUNDS)) {
          throw new GuildmintError(
            ErrorCode.CONCURRENT_UPDATE,
            'a wallet changed during the robbery; try again',
          );
        }
        throw error;
      }
    },
    replay: async () => robbery(ctx, bound.key, true),
  });
}

/** A robbery by its id (NOT_FOUND if there is none): to show or verify it. */
export async function robbery(ctx: TenantContext, id: string, replayed = false): Promise<RobberyResult> {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200)
    throw invalidInput('id', 'must be a robbery id');
  const row = (await readScope(ctx.store, ctx.tenant, STATE.robbery, [id])).get(id);
  if (!row?.json)
    throw new GuildmintError(ErrorCode.NOT_FOUND, `there is no robbery ${id.slice(0, 40)} here`);
  const record = JSON.parse(row.json) as RobberyRecord;
  const stored = record.transferIds.length
    ? await ctx.store.findTransfers(ctx.tenant, record.transferIds)
    : [];
  return { ...resultOf(record, replayed), transfers: stored.map(toPublic) };
}

function resultOf(record: RobberyRecord, replayed: boolean): RobberyResult {
  const { transferIds: _ids, createdAt, ...rest } = record;
  return { ...rest, createdAt: new Date(createdAt), transfers: [], replayed };
}

function robberyRules(config: EconomyConfig): RobberyConfig {
  if (!config.robbery.enabled) throw new GuildmintError(ErrorCode.NOT_FOUND, 'robbery is off in this server');
  return config.robbery;
}

/** Opt-out roles and the new-member protection; a join date must be known when that protection is on. */
function checkMember(
  rules: RobberyConfig,
  member: MemberContext | undefined,
  now: Date,
  who: 'you' | 'they',
): void {
  if (member?.roles?.some((role) => rules.optOutRoles.includes(role))) {
    throw new GuildmintError(
      ErrorCode.NOT_ELIGIBLE,
      who === 'you' ? 'you opted out of robbery (your role)' : 'they opted out of robbery (their role)',
    );
  }
  if (rules.newMemberDays > 0) {
    const joined = member?.joinedAt?.getTime();
    if (joined === undefined || now.getTime() - joined < rules.newMemberDays * 86_400_000) {
      throw new GuildmintError(
        ErrorCode.NOT_ELIGIBLE,
        `${who === 'you' ? 'you' : 'they'} joined less than ${rules.newMemberDays} days ago (or the join date is unknown)`,
      );
    }
  }
}
