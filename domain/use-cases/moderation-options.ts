import { BLOCK_DURATIONS, type BlockDuration } from '../user/block';
import type { PersonalUser } from '../user/personal-user.aggregate';
import { requireAdmin } from './admin-queries';
import type { Viewer } from './viewer';

/** What a staff viewer may do to a member: what the console offers. */
export interface ModerationOptions {
  blockDurations: BlockDuration[];
  canUnblock: boolean;
  canForceDisconnect: boolean;
  canDecideAppeal: boolean;
}

/** The options the aggregate's rules leave the viewer on `target` (staff only). */
export function moderationOptionsFor(viewer: Viewer, target: PersonalUser): ModerationOptions {
  requireAdmin(viewer);
  const mayAct = viewer.userId !== target.id && !target.isAdmin;
  return {
    blockDurations: mayAct ? [...BLOCK_DURATIONS] : [],
    canUnblock: mayAct,
    canForceDisconnect: mayAct,
    canDecideAppeal: mayAct,
  };
}
