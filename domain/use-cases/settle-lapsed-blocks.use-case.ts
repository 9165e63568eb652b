import type { Clock } from '../shared/clock';
import { newEntityId } from '../shared/entity-id';
import type { ChangeUserDeps } from './change-user';
import { settleExpiredBlock } from './settle-expired-block.use-case';

/** Blocks this far in the past are looked at again, in case an earlier settle failed. */
const EPOCH = new Date(0);

/**
 * Settles every block whose time ran out: EXPIRED history entry plus an ACTIVE status
 * event. Every instance may run it at once; the version check lets one of them win.
 * @returns how many blocks this call settled
 */
export const settleLapsedBlocks =
  (deps: ChangeUserDeps & { clock: Clock }) =>
  async (limit = 100): Promise<number> => {
    const lapsed = await deps.users.findBlocksExpiringBetween(EPOCH, deps.clock.now());
    const settle = settleExpiredBlock(deps);
    let settled = 0;
    for (const user of lapsed.slice(0, limit)) {
      const after = await settle({ userId: user.id, correlationId: `expiry-${newEntityId()}` });
      if (after.newEvents.length > 0) settled++;
    }
    return settled;
  };
