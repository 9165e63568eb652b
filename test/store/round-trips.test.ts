import type { CommandStartedEvent } from 'mongodb';
import { RawGraphQLWs } from '../support/ws-client';
import { startTestWarden, type TestWarden } from '../support/test-warden';
import { signToken } from '../support/tokens';

/**
 * Store round trips per operation, counted with the driver's command monitoring on the
 * instance's own connection. These budgets are what the plain-MongoDB persistence costs;
 * a change that adds a read or a write on these paths fails here.
 */
const BUDGET = {
  /** Read the caller, read the member, one conditional update; then the publish. */
  blockBeforePublish: 3,
  unblockBeforePublish: 3,
  /** Reads of members in all of a block, the audit entry's included (it takes the admin note from the saved history). */
  blockMemberReads: 2,
  /** Read the caller (the guard uses it), insert the listing. */
  createListing: 2,
  /** Provision the caller: one read of the member by its unique externalId. */
  connect: 1,
  /** Re-read the member's standing. */
  subscribe: 1,
} as const;

interface Seen {
  name: string;
  collection: unknown;
  filter: unknown;
}

let t: TestWarden;
let commands: Seen[] = [];
const record = (event: CommandStartedEvent) => {
  if (['hello', 'isMaster', 'ismaster', 'ping', 'endSessions'].includes(event.commandName)) return;
  const body = event.command as Record<string, unknown>;
  const updates = body.updates as { q?: unknown }[] | undefined;
  commands.push({ name: event.commandName, collection: body[event.commandName], filter: updates?.[0]?.q ?? body.filter ?? body.query });
};

beforeAll(async () => {
  t = await startTestWarden({ monitorStoreCommands: true });
  t.warden.connection.getClient().on('commandStarted', record);
});
afterAll(() => t.stop());

async function counted<T>(run: () => Promise<T>): Promise<{ result: T; seen: Seen[] }> {
  commands = [];
  const result = await run();
  return { result, seen: [...commands] };
}

/** The commands up to and including the conditional `{_id, version}` update that precedes the publish. */
function beforePublish(seen: Seen[]): Seen[] {
  const index = seen.findIndex(
    (command) => command.name === 'update' && typeof command.filter === 'object' && command.filter !== null && 'version' in command.filter,
  );
  if (index === -1) throw new Error(`no conditional update among ${JSON.stringify(seen)}`);
  return seen.slice(0, index + 1);
}

describe('store round trips', () => {
  it(`block and unblock: at most ${BUDGET.blockBeforePublish} before the publish, the last one the conditional update`, async () => {
    const memberId = await t.idOf('rt-member');
    await t.idOf('rt-admin', true);
    const admin = t.as('rt-admin', true);

    const block = await counted(() =>
      admin(
        `mutation($id: ID!) { blockUser(input: { userId: $id, reason: OTHER, duration: DAYS_7, userMessage: "m" }) { id isBlocked } }`,
        { id: memberId },
      ),
    );
    expect(block.result.errors).toBeUndefined();
    const blockPath = beforePublish(block.seen);
    expect(blockPath.length).toBeLessThanOrEqual(BUDGET.blockBeforePublish);
    expect(blockPath.map((command) => command.collection)).toEqual(blockPath.map(() => 'users'));
    // The block's audit entry is written in the background; it must not count as the unblock's.
    await t.warden.flushAudit();
    const memberReads = commands.filter((command) => command.collection === 'users' && command.name === 'find');
    expect(memberReads.length).toBeLessThanOrEqual(BUDGET.blockMemberReads);

    const unblock = await counted(() =>
      admin(`mutation($id: ID!) { unblockUser(input: { userId: $id, reason: "ok" }) { id isBlocked } }`, { id: memberId }),
    );
    expect(unblock.result.errors).toBeUndefined();
    expect(beforePublish(unblock.seen).length).toBeLessThanOrEqual(BUDGET.unblockBeforePublish);
  });

  it(`a member mutation: at most ${BUDGET.createListing}`, async () => {
    const member = t.as('rt-lister');
    await member('{ me { id } }');
    const { result, seen } = await counted(() =>
      member(
        `mutation { createItemListing(input: { title: "Drill", description: "A drill", category: "tools", location: "Here" }) { id } }`,
      ),
    );
    expect(result.errors).toBeUndefined();
    expect(seen.length).toBeLessThanOrEqual(BUDGET.createListing);
  });

  it(`connect: at most ${BUDGET.connect}; subscribe: at most ${BUDGET.subscribe}`, async () => {
    const memberId = await t.idOf('rt-socket');
    const token = await signToken({ sub: 'rt-socket' });
    const socket = await RawGraphQLWs.open(t.url);
    try {
      const connect = await counted(async () => {
        socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
        await socket.next((message) => message.type === 'connection_ack');
      });
      expect(connect.seen.length).toBeGreaterThanOrEqual(1);
      expect(connect.seen.length).toBeLessThanOrEqual(BUDGET.connect);

      const subscribe = await counted(async () => {
        socket.subscribe('s1', 'subscription { accountStatus { state } }');
        await until(() => t.warden.registry.sessionsOf(memberId).some((session) => session.statusStreams.size === 1));
      });
      expect(subscribe.seen.length).toBeGreaterThanOrEqual(1);
      expect(subscribe.seen.length).toBeLessThanOrEqual(BUDGET.subscribe);
    } finally {
      socket.socket.close();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition never held');
}
