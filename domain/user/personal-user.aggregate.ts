import type { Clock } from '../shared/clock';
import { ValidationError } from '../shared/domain-error';
import type { Actor } from '../shared/domain-event';
import { newEntityId } from '../shared/entity-id';
import { optionalText, requireText } from '../shared/text';
import { TEXT_LIMITS } from '../shared/text-limits';
import type { AccountStatus } from './account-status';
import {
  BLOCK_DURATIONS,
  BLOCK_REASONS,
  expiryOf,
  isInForce,
  type Block,
  type BlockDuration,
  type BlockReason,
  type BlockRecord,
} from './block';
import { capabilitiesOf } from './capability';
import {
  isRestrictionInForce,
  longestLasting,
  noticeOf,
  restrictionEntry,
  restrictionRefuses,
  summaryOf,
  validActions,
  validCategories,
  type Restriction,
} from './restriction';
import type { Role } from './role';
import { authorize, blockOperation, type StaffOperation } from './role-table';
import { CATEGORY_SCOPED_ACTIONS, USER_ACTIONS, type UserAction } from './user-action';
import { AccountBlockedError, ActionRestrictedError, restrictionErrors, userErrors } from './user.errors';
import type { UserEvent } from './user.events';

export type { Role } from './role';

export interface PersonalUserProps {
  id: string;
  externalId: string;
  displayName: string | null;
  email: string | null;
  role: Role;
  /** The last block placed; it may have expired without anybody noticing yet. */
  block: Block | null;
  /**
   * Restrictions placed and not lifted, oldest first; some may have run out without
   * anybody settling them yet. Absent (documents older than restrictions): none.
   */
  restrictions?: Restriction[];
  /** Oldest first: blocks and restrictions alike. */
  blockHistory: BlockRecord[];
  createdAt: Date;
  /** Optimistic-concurrency version, bumped by every save. */
  version: number;
}

export interface BlockCommand {
  actor: Actor;
  reason: BlockReason;
  duration: BlockDuration;
  userMessage: string;
  adminNote?: string | null;
  correlationId: string;
}

export interface RestrictCommand {
  actor: Actor;
  actions: readonly UserAction[];
  /** Listing categories; null or absent: every category. */
  categories?: readonly string[] | null;
  reason: BlockReason;
  duration: BlockDuration;
  userMessage: string;
  adminNote?: string | null;
  correlationId: string;
}

export interface LiftRestrictionCommand {
  actor: Actor;
  restrictionId: string;
  reason: string;
  correlationId: string;
}

/** What a guarded action is about, when the rules need to know. */
export interface ActionScope {
  /** The listing category a category-scoped action concerns. */
  category?: string | null;
}

export interface UnblockCommand {
  actor: Actor;
  reason: string;
  correlationId: string;
  /** Set when an approved appeal or another process lifts the block. */
  via?: string;
}

/**
 * A member of the platform and the one authority on whether that member may act.
 * State changes only through `block`, `unblock`, `restrict`, `liftRestriction` and the
 * two `settleExpired…`; each raises an event only when the state really changed.
 */
export class PersonalUser {
  private readonly raised: UserEvent[] = [];
  private readonly appended: BlockRecord[] = [];

  private constructor(
    private readonly props: PersonalUserProps,
    private readonly clock: Clock,
  ) {}

  static rehydrate(props: PersonalUserProps, clock: Clock): PersonalUser {
    return new PersonalUser(
      { ...props, restrictions: [...(props.restrictions ?? [])], blockHistory: [...props.blockHistory] },
      clock,
    );
  }

  get id(): string {
    return this.props.id;
  }
  get externalId(): string {
    return this.props.externalId;
  }
  get displayName(): string | null {
    return this.props.displayName;
  }
  get email(): string | null {
    return this.props.email;
  }
  get role(): Role {
    return this.props.role;
  }
  get isAdmin(): boolean {
    return this.props.role === 'ADMIN';
  }
  /** Moderators and admins. */
  get isStaff(): boolean {
    return this.props.role !== 'MEMBER';
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get version(): number {
    return this.props.version;
  }

  /** The block in force now, or null (an expired block is not in force). */
  get currentBlock(): Block | null {
    return isInForce(this.props.block, this.clock.now()) ? this.props.block : null;
  }

  /** The stored block field, expired or not: for persistence only. */
  get storedBlock(): Block | null {
    return this.props.block;
  }

  /** The restrictions in force now, oldest first (expired ones are not in force). */
  get restrictionsInForce(): readonly Restriction[] {
    const now = this.clock.now();
    return this.storedRestrictions.filter((restriction) => isRestrictionInForce(restriction, now));
  }

  /** The stored restrictions, expired or not: for persistence only. */
  get storedRestrictions(): readonly Restriction[] {
    return this.props.restrictions ?? [];
  }

  /**
   * When the stored standing next runs out (a block or a restriction, settled or not):
   * what the expiry schedule plans with; null when nothing stored runs out.
   */
  get nextStoredExpiry(): Date | null {
    const ends = [this.props.block?.expiresAt, ...this.storedRestrictions.map((restriction) => restriction.expiresAt)]
      .filter((end): end is Date => end !== null && end !== undefined)
      .map((end) => end.getTime());
    return ends.length > 0 ? new Date(Math.min(...ends)) : null;
  }

  /** Oldest first. */
  get blockHistory(): readonly BlockRecord[] {
    return this.props.blockHistory;
  }

  /** History entries added since the aggregate was loaded, oldest first. */
  get newHistoryEntries(): readonly BlockRecord[] {
    return this.appended;
  }

  /** Events raised since the aggregate was loaded, in order. */
  get newEvents(): readonly UserEvent[] {
    return this.raised;
  }

  isBlocked(): boolean {
    return this.currentBlock !== null;
  }

  accountStatus(): AccountStatus {
    const block = this.currentBlock;
    const inForce = this.restrictionsInForce;
    const restrictions = inForce.map((restriction) => noticeOf(this.id, restriction));
    const capabilities = capabilitiesOf(block, inForce);
    if (block) {
      return {
        userId: this.id,
        state: 'BLOCKED',
        reason: block.reason,
        userMessage: block.userMessage,
        blockedAt: block.blockedAt,
        expiresAt: block.expiresAt,
        changedAt: block.blockedAt,
        restrictions,
        capabilities,
      };
    }
    return {
      userId: this.id,
      state: inForce.length > 0 ? 'RESTRICTED' : 'ACTIVE',
      reason: null,
      userMessage: null,
      blockedAt: null,
      expiresAt: null,
      changedAt: this.lastStandingChange(),
      restrictions,
      capabilities,
    };
  }

  /**
   * The single guard in front of every member action. A block stands above everything:
   * while one is in force every action is refused with AccountBlockedError. Otherwise a
   * restriction in force on the action (in `scope.category`, when it is category-scoped)
   * refuses it with ActionRestrictedError. Expired blocks and restrictions refuse nothing.
   */
  validateUserCanPerformAction(action: UserAction, scope: ActionScope = {}): void {
    if (!USER_ACTIONS.includes(action)) {
      throw new ValidationError('USER.UNKNOWN_ACTION', `Unknown action ${String(action)}`, 'action');
    }
    const block = this.currentBlock;
    if (block) throw new AccountBlockedError(action, block.reason, block.userMessage, block.expiresAt);
    const category = scope.category ?? null;
    const refusing = longestLasting(
      this.restrictionsInForce.filter((restriction) => restrictionRefuses(restriction, action, category)),
    );
    if (refusing) {
      const scoped = refusing.categories !== null && CATEGORY_SCOPED_ACTIONS.includes(action);
      throw new ActionRestrictedError(
        action,
        refusing.id,
        refusing.reason,
        refusing.userMessage,
        refusing.expiresAt,
        scoped ? category : null,
      );
    }
  }

  /** Places a block, replacing the one in force if any (both stay in the history). */
  block(command: BlockCommand): void {
    // Members are refused first; staff sending an unknown duration made a mistake.
    if (!BLOCK_DURATIONS.includes(command.duration)) {
      this.authorize(command.actor, 'BLOCK_DAYS_7');
      throw new ValidationError('USER.UNKNOWN_DURATION', 'Unknown block duration', 'duration');
    }
    this.authorize(command.actor, blockOperation(command.duration));
    const { reason, userMessage, adminNote } = this.sanction(command);

    this.settleExpiredBlock(command.correlationId);
    const replacedPrevious = this.props.block !== null;
    const now = this.clock.now();
    this.props.block = {
      reason,
      duration: command.duration,
      userMessage,
      adminNote,
      blockedAt: now,
      blockedBy: command.actor.userId,
      expiresAt: expiryOf(command.duration, now),
    };
    this.record({
      kind: 'BLOCKED',
      at: now,
      by: command.actor.userId,
      reason: command.reason,
      duration: command.duration,
      note: adminNote,
    });
    this.raise('user.blocked', command.actor.userId, command.correlationId, {
      status: this.accountStatus(),
      replacedPrevious,
      duration: command.duration,
    });
  }

  /** Lifts the block in force; refused when there is none. */
  unblock(command: UnblockCommand): void {
    this.authorize(command.actor, 'UNBLOCK');
    const reason = requireText(command.reason, { field: 'reason', min: 1, max: TEXT_LIMITS.unblockReason });
    if (!this.isBlocked()) throw userErrors.notBlocked();

    const now = this.clock.now();
    const previous = this.props.block;
    this.props.block = null;
    this.record({
      kind: 'UNBLOCKED',
      at: now,
      by: command.actor.userId,
      reason: previous?.reason ?? null,
      duration: previous?.duration ?? null,
      note: command.via ? `${command.via}: ${reason}` : reason,
    });
    this.raise('user.unblocked', command.actor.userId, command.correlationId, {
      status: this.accountStatus(),
      reason,
    });
  }

  /**
   * Records that a block ran out. Nothing needs to call it for the block to stop
   * restricting; it only writes the EXPIRED history entry and raises the event.
   * @returns whether a lapsed block was settled
   */
  settleExpiredBlock(correlationId: string): boolean {
    const block = this.props.block;
    if (block === null || isInForce(block, this.clock.now()) || block.expiresAt === null) return false;
    this.props.block = null;
    this.record({
      kind: 'EXPIRED',
      at: block.expiresAt,
      by: null,
      reason: block.reason,
      duration: block.duration,
      note: null,
    });
    this.raise('user.block-expired', null, correlationId, {
      status: this.accountStatus(),
      lapsed: { reason: block.reason, duration: block.duration, expiresAt: block.expiresAt },
    });
    return true;
  }

  /**
   * Places a restriction beside any others (and any block: it applies again once the
   * block ends, unless it ran out meanwhile).
   */
  restrict(command: RestrictCommand): void {
    this.authorize(command.actor, 'RESTRICT');
    const actions = validActions(command.actions);
    const categories = validCategories(command.categories, actions);
    if (!BLOCK_DURATIONS.includes(command.duration)) {
      throw new ValidationError('USER.UNKNOWN_DURATION', 'Unknown duration', 'duration');
    }
    const { reason, userMessage, adminNote } = this.sanction(command);

    this.settleExpiredRestrictions(command.correlationId);
    const now = this.clock.now();
    const restriction: Restriction = {
      id: newEntityId(now),
      actions,
      categories,
      reason,
      duration: command.duration,
      userMessage,
      adminNote,
      createdAt: now,
      createdBy: command.actor.userId,
      expiresAt: expiryOf(command.duration, now),
    };
    this.restrictionList.push(restriction);
    this.record({ ...restrictionEntry('RESTRICTED', restriction, now, command.actor.userId), note: adminNote });
    this.raise('user.restricted', command.actor.userId, command.correlationId, {
      status: this.accountStatus(),
      restriction: summaryOf(restriction),
    });
  }

  /** Lifts one restriction in force; refused when it is not (any more). */
  liftRestriction(command: LiftRestrictionCommand): void {
    this.authorize(command.actor, 'LIFT_RESTRICTION');
    const reason = requireText(command.reason, { field: 'reason', min: 1, max: TEXT_LIMITS.unblockReason });
    const list = this.restrictionList;
    const index = list.findIndex((restriction) => restriction.id === command.restrictionId);
    if (index < 0) throw restrictionErrors.notFound();
    const restriction = list[index]!;
    if (!isRestrictionInForce(restriction, this.clock.now())) throw restrictionErrors.notInForce();

    const now = this.clock.now();
    list.splice(index, 1);
    this.record({ ...restrictionEntry('RESTRICTION_LIFTED', restriction, now, command.actor.userId), note: reason });
    this.raise('user.restriction-lifted', command.actor.userId, command.correlationId, {
      status: this.accountStatus(),
      restriction: summaryOf(restriction),
      reason,
    });
  }

  /**
   * Records that restrictions ran out, oldest expiry first. Nothing needs to call it for
   * them to stop refusing; it writes the RESTRICTION_EXPIRED entries and raises one event
   * per restriction.
   * @returns how many lapsed restrictions were settled
   */
  settleExpiredRestrictions(correlationId: string): number {
    const now = this.clock.now();
    const lapsed = this.restrictionList
      .filter((restriction) => !isRestrictionInForce(restriction, now))
      .sort((a, b) => a.expiresAt!.getTime() - b.expiresAt!.getTime());
    for (const restriction of lapsed) {
      this.props.restrictions = this.restrictionList.filter((kept) => kept.id !== restriction.id);
      this.record({ ...restrictionEntry('RESTRICTION_EXPIRED', restriction, restriction.expiresAt!, null), note: null });
      this.raise('user.restriction-expired', null, correlationId, {
        status: this.accountStatus(),
        restriction: summaryOf(restriction),
      });
    }
    return lapsed.length;
  }

  /** Role table check of `actor` doing `operation` to this member (domain/user/role-table.ts). */
  private authorize(actor: Actor, operation: StaffOperation): void {
    authorize(actor, operation, { id: this.id, role: this.role });
  }

  /** Reason, message and note of a block or restriction, validated. */
  private sanction(command: { reason: BlockReason; userMessage: string; adminNote?: string | null }) {
    if (!BLOCK_REASONS.includes(command.reason)) {
      throw new ValidationError('USER.UNKNOWN_REASON', 'Unknown reason', 'reason');
    }
    return {
      reason: command.reason,
      userMessage: requireText(command.userMessage, { field: 'userMessage', min: 1, max: TEXT_LIMITS.userMessage }),
      adminNote: optionalText(command.adminNote, { field: 'adminNote', max: TEXT_LIMITS.adminNote }),
    };
  }

  private get restrictionList(): Restriction[] {
    return (this.props.restrictions ??= []);
  }

  /** The latest change of standing that is not a block in force. */
  private lastStandingChange(): Date {
    const now = this.clock.now().getTime();
    const candidates = [
      this.props.createdAt,
      this.props.blockHistory.at(-1)?.at,
      this.props.block?.expiresAt,
      ...this.restrictionsInForce.map((restriction) => restriction.createdAt),
      ...this.storedRestrictions.map((restriction) => restriction.expiresAt),
    ].filter((at): at is Date => at !== null && at !== undefined && at.getTime() <= now);
    return new Date(Math.max(...candidates.map((at) => at.getTime())));
  }

  private record(entry: BlockRecord): void {
    this.props.blockHistory.push(entry);
    this.appended.push(entry);
  }

  private raise<E extends UserEvent>(
    type: E['type'],
    actorId: string | null,
    correlationId: string,
    payload: E['payload'],
  ): void {
    const occurredAt = this.clock.now();
    this.raised.push({
      id: newEntityId(occurredAt),
      type,
      aggregateId: this.id,
      occurredAt,
      actorId,
      correlationId,
      payload,
    } as E);
  }
}

