import type { Clock } from '../shared/clock';
import { ValidationError } from '../shared/domain-error';
import type { Actor } from '../shared/domain-event';
import { newEntityId } from '../shared/entity-id';
import { requireText } from '../shared/text';
import { TEXT_LIMITS } from '../shared/text-limits';
import type { BlockReason } from '../user/block';
import type { PersonalUser } from '../user/personal-user.aggregate';
import { authorize } from '../user/role-table';

export type AppealState = 'OPEN' | 'APPROVED' | 'REJECTED';

export interface AppealProps {
  id: string;
  userId: string;
  /** Identifies the block appealed against: one appeal per block. */
  blockKey: string;
  blockReason: BlockReason;
  blockedAt: Date;
  message: string;
  state: AppealState;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionNote: string | null;
}

/** The block a member's appeal is about, as a stable key. */
export function blockKeyOf(userId: string, blockedAt: Date): string {
  return `${userId}:${blockedAt.toISOString()}`;
}

/** A blocked member's request to have the block lifted, and an admin's answer. */
export class Appeal {
  private constructor(private readonly props: AppealProps) {}

  /**
   * Files an appeal against the block in force. Blocked members may do this (it is the
   * one thing a block is not meant to stop), members who are not blocked may not.
   */
  static file(member: PersonalUser, message: string, clock: Clock, id?: string): Appeal {
    const block = member.currentBlock;
    if (!block) throw new ValidationError('APPEAL.NOT_BLOCKED', 'Only a blocked member can appeal', 'message');
    const text = requireText(message, { field: 'message', min: 1, max: TEXT_LIMITS.appealMessage });
    const now = clock.now();
    return new Appeal({
      id: id ?? newEntityId(now),
      userId: member.id,
      blockKey: blockKeyOf(member.id, block.blockedAt),
      blockReason: block.reason,
      blockedAt: block.blockedAt,
      message: text,
      state: 'OPEN',
      createdAt: now,
      decidedAt: null,
      decidedBy: null,
      decisionNote: null,
    });
  }

  static rehydrate(props: AppealProps): Appeal {
    return new Appeal({ ...props });
  }

  /** Approves or rejects; an appeal is decided once. */
  decide(command: { actor: Actor; approve: boolean; note: string }, clock: Clock): void {
    authorize(command.actor, 'DECIDE_APPEAL');
    const note = requireText(command.note, { field: 'note', min: 1, max: TEXT_LIMITS.decisionNote });
    if (this.props.state !== 'OPEN') {
      throw new ValidationError('APPEAL.ALREADY_DECIDED', 'This appeal has already been decided', 'appealId');
    }
    this.props.state = command.approve ? 'APPROVED' : 'REJECTED';
    this.props.decidedAt = clock.now();
    this.props.decidedBy = command.actor.userId;
    this.props.decisionNote = note;
  }

  get id(): string {
    return this.props.id;
  }
  get userId(): string {
    return this.props.userId;
  }
  get blockKey(): string {
    return this.props.blockKey;
  }
  get blockReason(): BlockReason {
    return this.props.blockReason;
  }
  get blockedAt(): Date {
    return this.props.blockedAt;
  }
  get message(): string {
    return this.props.message;
  }
  get state(): AppealState {
    return this.props.state;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get decidedAt(): Date | null {
    return this.props.decidedAt;
  }
  get decidedBy(): string | null {
    return this.props.decidedBy;
  }
  get decisionNote(): string | null {
    return this.props.decisionNote;
  }
}
