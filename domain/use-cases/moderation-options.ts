import { BLOCK_DURATIONS, type BlockDuration } from '../user/block';
import type { PersonalUser } from '../user/personal-user.aggregate';
import { authorize, blockOperation, may } from '../user/role-table';
import type { Viewer } from './viewer';

/** What a staff viewer may do to a member: what the console offers, no more. */
export interface ModerationOptions {
  blockDurations: BlockDuration[];
  canUnblock: boolean;
  canRestrict: boolean;
  canLiftRestriction: boolean;
  canForceDisconnect: boolean;
  canDecideAppeal: boolean;
}

/** The role table's answers for the viewer on `target` (staff only). */
export function moderationOptionsFor(viewer: Viewer, target: PersonalUser): ModerationOptions {
  authorize(viewer, 'READ_MEMBER', target);
  return {
    blockDurations: BLOCK_DURATIONS.filter((duration) => may(viewer, blockOperation(duration), target)),
    canUnblock: may(viewer, 'UNBLOCK', target),
    canRestrict: may(viewer, 'RESTRICT', target),
    canLiftRestriction: may(viewer, 'LIFT_RESTRICTION', target),
    canForceDisconnect: may(viewer, 'FORCE_DISCONNECT', target),
    canDecideAppeal: may(viewer, 'DECIDE_APPEAL', target),
  };
}
