import type { NewAuditEntry } from '../../domain/audit/audit-entry';
import { AuditingEventPublisher } from '../../infrastructure/audit/auditing-event-publisher';
import { createLogger } from '../../infrastructure/logging/logger';
import { blockCommand, memberAggregate } from '../domain/fakes/builders';
import { FakeClock } from '../domain/fakes/fake-clock';
import { RecordingEventPublisher } from '../domain/fakes/recording-event-publisher';

// The admin note is in no event: the audit entry takes it from the saved history when the
// publisher is given it, and reads the member only when not (the outbox relay).

function setup() {
  const clock = new FakeClock();
  const user = memberAggregate(clock);
  user.block(blockCommand({ adminNote: 'Third late return this year' }));
  const recorded: NewAuditEntry[] = [];
  const reads: string[] = [];
  const publisher = new AuditingEventPublisher(
    new RecordingEventPublisher(),
    { record: (entry) => recorded.push(entry) },
    {
      findById: async (id) => {
        reads.push(id);
        return user;
      },
    },
    createLogger('test'),
  );
  return { user, recorded, reads, publisher };
}

test("a use case's publish, given the saved history, records the note without reading the member", async () => {
  const { user, recorded, reads, publisher } = setup();
  await publisher.publish(user.newEvents, user.blockHistory);
  await publisher.idle();
  expect(reads).toEqual([]);
  expect(recorded).toEqual([expect.objectContaining({ type: 'USER_BLOCKED', details: expect.objectContaining({ adminNote: 'Third late return this year' }) })]);
});

test("the relay's publish, with no history, reads the member for the note", async () => {
  const { user, recorded, reads, publisher } = setup();
  await publisher.publish(user.newEvents);
  await publisher.idle();
  expect(reads).toEqual([user.id]);
  expect(recorded).toEqual([expect.objectContaining({ details: expect.objectContaining({ adminNote: 'Third late return this year' }) })]);
});
