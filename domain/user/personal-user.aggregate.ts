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
import { USER_ACTIONS, type UserAction } from './user-action';
import { AccountBlockedError, userErrors } from './user.errors';
import type { UserEvent } from './user.events';

export type Role = 'MEMBER' | 'ADMIN';

export interface PersonalUserProps {
  id: string;
  externalId: string;
  displayName: string | null;
  email: string | null;
  role: Role;
  /** The last block placed; it may have expired without anybody noticing yet. */
  block: Block | null;
  /** Oldest first. */
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

export interface UnblockCommand {
  actor: Actor;
  reason: string;
  correlationId: string;
  /** Set when an approved appeal or another process lifts the block. */
  via?: string;
}

/**
 * A member of the platform and the one authority on whether that member may act.
 * State changes only through `block`, `unblock` and `settleExpiredBlock`; each raises an
 * event only when the state really changed.
 */
export class PersonalUser {
  private readonly raised: UserEvent[] = [];
  private readonly appended: BlockRecord[] = [];

  private constructor(
    private readonly props: PersonalUserProps,
    private readonly clock: Clock,
  ) {}

  static rehydrate(props: PersonalUserProps, clock: Clock): PersonalUser {
    return new PersonalUser({ ...props, blockHistory: [...props.blockHistory] }, clock);
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
    if (block) {
      return {
        userId: this.id,
        state: 'BLOCKED',
        reason: block.reason,
        userMessage: block.userMessage,
        blockedAt: block.blockedAt,
        expiresAt: block.expiresAt,
        changedAt: block.blockedAt,
      };
    }
    const lapsed = this.props.block?.expiresAt ?? null;
    const lastEntry = this.props.blockHistory.at(-1);
    return {
      userId: this.id,
      state: 'ACTIVE',
      reason: null,
      userMessage: null,
      blockedAt: null,
      expiresAt: null,
      changedAt: lapsed ?? lastEntry?.at ?? this.props.createdAt,
    };
  }

  /**
   * The single guard in front of every member action: throws AccountBlockedError while a
   * block is in force. An expired block does not restrict.
   */
  validateUserCanPerformAction(action: UserAction): void {
    if (!USER_ACTIONS.includes(action)) {
      throw new ValidationError('USER.UNKNOWN_ACTION', `Unknown action ${String(action)}`, 'action');
    }
    const block = this.currentBlock;
    if (block) throw new AccountBlockedError(action, block.reason, block.userMessage, block.expiresAt);
  }

  /** Places a block, replacing the one in force if any (both stay in the history). */
  block(command: BlockCommand): void {
    this.requireModerator(command.actor);
    if (command.actor.userId === this.id) throw userErrors.selfBlock();
    if (this.isAdmin) throw userErrors.adminTarget();
    if (!BLOCK_REASONS.includes(command.reason)) {
      throw new ValidationError('USER.UNKNOWN_REASON', 'Unknown block reason', 'reason');
    }
    if (!BLOCK_DURATIONS.includes(command.duration)) {
      throw new ValidationError('USER.UNKNOWN_DURATION', 'Unknown block duration', 'duration');
    }
    const userMessage = requireText(command.userMessage, {
      field: 'userMessage',
      min: 1,
      max: TEXT_LIMITS.userMessage,
    });
    const adminNote = optionalText(command.adminNote, { field: 'adminNote', max: TEXT_LIMITS.adminNote });

    this.settleExpiredBlock(command.correlationId);
    const replacedPrevious = this.props.block !== null;
    const now = this.clock.now();
    this.props.block = {
      reason: command.reason,
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
    this.requireModerator(command.actor);
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

  private requireModerator(actor: Actor): void {
    if (!actor.isAdmin) throw userErrors.notAdmin();
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
