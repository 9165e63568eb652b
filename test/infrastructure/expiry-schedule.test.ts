import { NotFoundError } from '../../domain/shared/domain-error';
import type { BlockExpiry } from '../../domain/use-cases/enforcement-queries';
import type { AccountStatus } from '../../domain/user/account-status';
import { ExpirySchedule } from '../../infrastructure/jobs/expiry-schedule';
import { MutableClock } from '../support/mutable-clock';

const MINUTE = 60_000;

/** A schedule over a fake store: `stored` is what MongoDB says, `settled` who was settled. */
function scheduleWith(stored: BlockExpiry[] = []) {
  const clock = new MutableClock();
  const settled: string[] = [];
  let settle = async (userId: string): Promise<Date | null> => {
    settled.push(userId);
    return null;
  };
  const asked: Date[] = [];
  const schedule = new ExpirySchedule({
    clock,
    blocksExpiringBy: async (until) => {
      asked.push(until);
      return stored.filter((block) => block.expiresAt <= until);
    },
    settleExpiredBlock: (userId) => settle(userId),
  });
  return {
    clock,
    schedule,
    settled,
    asked,
    settleWith(fn: typeof settle) {
      settle = fn;
    },
  };
}

function status(userId: string, state: AccountStatus['state'], expiresAt: Date | null): AccountStatus {
  return {
    userId,
    state,
    expiresAt,
    reason: null,
    userMessage: null,
    blockedAt: null,
    changedAt: new Date(),
    restrictions: [],
    capabilities: [],
  };
}

describe('ExpirySchedule', () => {
  it('settles a signalled timed block once its time has come, and only then', async () => {
    const { clock, schedule, settled } = scheduleWith();
    schedule.noteStatus(status('m1', 'BLOCKED', new Date(clock.now().getTime() + MINUTE)));
    schedule.noteStatus(status('forever', 'BLOCKED', null));
    expect(schedule.size).toBe(1);

    expect(await schedule.settleDue()).toBe(0);
    clock.advance(MINUTE);
    expect(await schedule.settleDue()).toBe(1);
    expect(await schedule.settleDue()).toBe(0);
    expect(settled).toEqual(['m1']);
    expect(schedule.size).toBe(0);
  });

  it('forgets a block that an ACTIVE status ended first', async () => {
    const { clock, schedule, settled } = scheduleWith();
    schedule.noteStatus(status('m1', 'BLOCKED', new Date(clock.now().getTime() + MINUTE)));
    schedule.noteStatus(status('m1', 'ACTIVE', null));
    clock.advance(2 * MINUTE);
    expect(await schedule.settleDue()).toBe(0);
    expect(settled).toEqual([]);
  });

  it('plans from MongoDB what runs out within the look-ahead, settling a lapsed block at the next tick', async () => {
    const now = Date.now();
    const { clock, schedule, settled, asked } = scheduleWith([
      { userId: 'lapsed', expiresAt: new Date(now - MINUTE) },
      { userId: 'soon', expiresAt: new Date(now + MINUTE) },
      { userId: 'later', expiresAt: new Date(now + 60 * MINUTE) },
    ]);
    await schedule.reconcile(2 * MINUTE);
    expect(asked[0]?.getTime()).toBeGreaterThanOrEqual(now + 2 * MINUTE);
    expect(schedule.size).toBe(2);
    expect(await schedule.settleDue()).toBe(1);
    expect(settled).toEqual(['lapsed']);
    clock.advance(MINUTE);
    await schedule.settleDue();
    expect(settled).toEqual(['lapsed', 'soon']);
  });

  it('keeps a block whose settle failed for the next tick, and plans the new block of a member blocked again', async () => {
    const { clock, schedule, settled, settleWith } = scheduleWith();
    schedule.noteStatus(status('m1', 'BLOCKED', new Date(clock.now().getTime())));
    settleWith(async () => {
      throw new Error('MongoDB is down');
    });
    await expect(schedule.settleDue()).rejects.toThrow('MongoDB is down');
    expect(schedule.size).toBe(1);

    const reblockedUntil = new Date(clock.now().getTime() + MINUTE);
    settleWith(async (userId) => {
      settled.push(userId);
      return reblockedUntil;
    });
    expect(await schedule.settleDue()).toBe(1);
    expect(schedule.size).toBe(1);
    clock.advance(MINUTE);
    await schedule.settleDue();
    expect(settled).toEqual(['m1', 'm1']);
  });

  it('drops a member that does not exist instead of retrying it forever', async () => {
    const { clock, schedule, settleWith } = scheduleWith();
    schedule.noteStatus(status('ghost', 'BLOCKED', clock.now()));
    settleWith(async () => {
      throw new NotFoundError('USER.NOT_FOUND', 'no such member');
    });
    expect(await schedule.settleDue()).toBe(0);
    expect(schedule.size).toBe(0);
  });
});
