import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { AccountState, AccountStatus } from '../../domain/user/account-status';
import { SESSION_SWEEP_LOOKBACK_MS } from '../../infrastructure/config/limits';
import type { ExpirySchedule } from '../../infrastructure/jobs/expiry-schedule';
import { startSafetyNets, type SafetyNets } from '../../infrastructure/jobs/safety-nets';
import { createLogger } from '../../infrastructure/logging/logger';
import { createLiveSession } from '../../infrastructure/sessions/live-session';
import { PushStream } from '../../infrastructure/sessions/push-stream';
import { SessionRegistry } from '../../infrastructure/sessions/session-registry';
import type { SessionTerminator } from '../../infrastructure/sessions/session-terminator';

const T0 = Date.parse('2026-12-02T10:00:00Z');

function status(userId: string, state: AccountState, restrictionIds: string[] = []): AccountStatus {
  return {
    userId,
    state,
    reason: state === 'BLOCKED' ? 'POLICY_VIOLATION' : null,
    userMessage: null,
    blockedAt: state === 'BLOCKED' ? new Date(T0) : null,
    expiresAt: null,
    changedAt: new Date(T0),
    restrictions: restrictionIds.map((id) => ({ id }) as AccountStatus['restrictions'][number]),
    capabilities: [],
  };
}

/** The sweep with everything around it faked but the registry: what it asks and what it does. */
function sweepHarness() {
  let now = T0;
  const asked: number[] = [];
  let answer: AccountStatus[] = [];
  let failNext = false;
  const terminated: string[] = [];
  const registry = new SessionRegistry();
  const redis = new EventEmitter();
  const nets: SafetyNets = startSafetyNets({
    registry,
    terminator: { terminateUser: async (userId: string) => void terminated.push(userId) } as unknown as SessionTerminator,
    expiries: { settleDue: async () => 0, reconcile: async () => undefined } as unknown as ExpirySchedule,
    standingsChangedSince: async (since) => {
      asked.push(since.getTime());
      if (failNext) {
        failNext = false;
        throw new Error('store down');
      }
      return answer;
    },
    clock: { now: () => new Date(now) },
    relayOutbox: async () => undefined,
    sessionSweepIntervalMs: 3_600_000,
    redisSubscriber: redis,
    log: createLogger('test'),
  });
  const connect = (userId: string, subscribed: boolean) => {
    const session = createLiveSession(userId, 'MEMBER', {} as WebSocket);
    registry.add(session);
    const stream = new PushStream<AccountStatus>(() => undefined);
    if (subscribed) session.statusStreams.add(stream);
    return stream;
  };
  return {
    nets,
    registry,
    redis,
    asked,
    terminated,
    connect,
    advance: (ms: number) => void (now += ms),
    answer: (statuses: AccountStatus[]) => void (answer = statuses),
    failNextRead: () => void (failNext = true),
  };
}

let harness: ReturnType<typeof sweepHarness>;
beforeEach(() => (harness = sweepHarness()));
afterEach(() => harness.nets.stop());

test('each sweep reads the standings saved since the previous one began, less the lookback', async () => {
  harness.advance(5_000);
  await harness.nets.sweepSessions();
  harness.advance(5_000);
  await harness.nets.sweepSessions();
  // The first covers from the instance's start; each next one from where the last began.
  expect(harness.asked).toEqual([T0 - SESSION_SWEEP_LOOKBACK_MS, T0 + 5_000 - SESSION_SWEEP_LOOKBACK_MS]);
});

test('a sweep that failed leaves its range to the next one', async () => {
  harness.advance(5_000);
  await harness.nets.sweepSessions();
  harness.advance(5_000);
  harness.failNextRead();
  await harness.nets.sweepSessions();
  harness.advance(5_000);
  await harness.nets.sweepSessions();
  expect(harness.asked.at(-1)).toBe(T0 + 5_000 - SESSION_SWEEP_LOOKBACK_MS);
});

test('it closes the sockets of changed members blocked now, and only of those connected here', async () => {
  harness.connect('blocked-here', false);
  harness.connect('active-here', false);
  harness.answer([status('blocked-here', 'BLOCKED'), status('blocked-elsewhere', 'BLOCKED'), status('active-here', 'ACTIVE')]);
  await harness.nets.sweepSessions();
  expect(harness.terminated).toEqual(['blocked-here']);
});

test('it pushes a changed standing to the subscribers that missed it, once', async () => {
  const stream = harness.connect('restricted', true);
  const pushed: AccountStatus[] = [];
  stream.push = async (value: AccountStatus) => void pushed.push(value);
  harness.registry.noteStartingStanding(status('restricted', 'ACTIVE'));
  harness.answer([status('restricted', 'RESTRICTED', ['r1'])]);
  await harness.nets.sweepSessions();
  await harness.nets.sweepSessions();
  expect(pushed.map((value) => value.state)).toEqual(['RESTRICTED']);
});

test('staff watching a member blocked unheard hear BLOCKED from the sweep', async () => {
  const watch = new PushStream<AccountStatus>(() => undefined);
  const pushed: AccountStatus[] = [];
  watch.push = async (value: AccountStatus) => void pushed.push(value);
  harness.registry.watch('watched', watch);
  harness.registry.noteStartingStanding(status('watched', 'ACTIVE'));
  harness.answer([status('watched', 'BLOCKED')]);
  await harness.nets.sweepSessions();
  expect(pushed.map((value) => value.state)).toEqual(['BLOCKED']);
  expect(harness.terminated).toEqual([]);
});

test('Redis coming back after an outage sweeps at once', async () => {
  harness.redis.emit('close');
  harness.redis.emit('ready');
  await new Promise((resolve) => setImmediate(resolve));
  expect(harness.asked).toHaveLength(1);
});
