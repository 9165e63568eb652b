import { createLogger } from '../../infrastructure/logging/logger';
import { SessionRegistry } from '../../infrastructure/sessions/session-registry';
import { SessionTerminator } from '../../infrastructure/sessions/session-terminator';
import { WardenCloseCode } from '../../infrastructure/sessions/close-codes';
import type { AccountStatus } from '../../domain/user/account-status';

/**
 * A socket is registered only after its member was read at connect. A block whose signal
 * is handled between that read and the registration closes no socket of it; the
 * terminator remembers the signal so that connect refuses the socket instead.
 */
describe('SessionTerminator.blockedSince', () => {
  const blocked = { userId: 'm1', state: 'BLOCKED', changedAt: new Date() } as unknown as AccountStatus;

  it('reports a block signalled at or after the read, and none signalled before it', async () => {
    const terminator = new SessionTerminator(new SessionRegistry(), createLogger('test'));
    const beforeSignal = performance.now();
    await terminator.terminateUser('m1', blocked);
    const afterSignal = performance.now();

    expect(terminator.blockedSince('m1', beforeSignal)?.status).toBe(blocked);
    expect(terminator.blockedSince('m1', afterSignal + 1)).toBeUndefined();
    expect(terminator.blockedSince('someone-else', beforeSignal)).toBeUndefined();
  });

  it('does not count a force-disconnect, after which the member may reconnect at once', async () => {
    const terminator = new SessionTerminator(new SessionRegistry(), createLogger('test'));
    const before = performance.now();
    await terminator.terminateUser('m2', null, WardenCloseCode.ForceDisconnected);
    expect(terminator.blockedSince('m2', before)).toBeUndefined();
  });
});
