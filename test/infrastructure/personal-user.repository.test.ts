import type { Connection } from 'mongoose';
import { ConcurrencyError } from '../../domain/shared/domain-error';
import { systemClock } from '../../domain/shared/clock';
import { newEntityId } from '../../domain/shared/entity-id';
import type { PersonalUser } from '../../domain/user/personal-user.aggregate';
import { closeMongo } from '../../infrastructure/mongo/connection';
import { personalUserModel } from '../../infrastructure/mongo/models/personal-user.model';
import { MongoPersonalUserRepository } from '../../infrastructure/mongo/repositories/personal-user.repository';
import { connectTestMongo, memberProfile } from './mongo-fixtures';

let conn: Connection;
let users: MongoPersonalUserRepository;
let admin: PersonalUser;

beforeAll(async () => {
  conn = await connectTestMongo();
  users = new MongoPersonalUserRepository(conn, systemClock);
  admin = await users.provision(memberProfile('ADMIN'));
});
afterAll(() => closeMongo(conn));

const actor = () => ({ userId: admin.id, isAdmin: true });

function blockCommand(correlationId = 'c-1') {
  const rule = { reason: 'LATE_RETURN' as const, duration: 'DAYS_7' as const };
  return { actor: actor(), ...rule, userMessage: 'Late', adminNote: 'note', correlationId };
}

describe('MongoPersonalUserRepository.provision', () => {
  it('creates a member on first sight and rehydrates it', async () => {
    const profile = { ...memberProfile(), email: 'a@example.org' };
    const created = await users.provision(profile);
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    expect(created).toMatchObject({ ...profile, role: 'MEMBER', version: 0 });
    expect(created.storedBlock).toBeNull();
    expect(created.blockHistory).toEqual([]);
    const found = await users.findById(created.id);
    expect(found).toMatchObject({ id: created.id, externalId: profile.externalId, version: 0 });
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(found?.createdAt.getTime()).toBe(created.createdAt.getTime());
  });

  it('is idempotent under 20 concurrent first provisions: one document, one id', async () => {
    const profile = memberProfile();
    const results = await Promise.all(Array.from({ length: 20 }, () => users.provision(profile)));
    expect(new Set(results.map((user) => user.id)).size).toBe(1);
    expect(await personalUserModel(conn).countDocuments({ externalId: profile.externalId })).toBe(1);
  });

  it('is one document for 20 concurrent first provisions spread over two instances', async () => {
    const fresh = memberProfile();
    const otherInstance = new MongoPersonalUserRepository(conn, systemClock);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? users : otherInstance).provision(fresh)),
    );
    const ids = new Set(results.map((user) => user.id));
    expect(ids.size).toBe(1);
    expect(await personalUserModel(conn).find({ externalId: fresh.externalId }, { _id: 1 }).lean()).toEqual([{ _id: [...ids][0] }]);
  });

  it('adopts a member stored by an older release without a version or history', async () => {
    const older = memberProfile();
    const _id = newEntityId();
    await personalUserModel(conn).collection.insertOne({ _id, externalId: older.externalId, role: 'MEMBER' } as never);
    const found = await users.provision(older);
    expect(found).toMatchObject({ id: _id, externalId: older.externalId, version: 0 });
    expect(found.blockHistory).toEqual([]);
  });

  it('refreshes profile and role when they changed, keeping id, version and block', async () => {
    const profile = memberProfile();
    const first = await users.provision(profile);
    first.block(blockCommand());
    await users.save(first);

    const again = await users.provision(profile);
    expect(again.id).toBe(first.id);
    const refreshed = { displayName: 'Renamed', email: 'new@example.org', role: 'ADMIN' as const };
    const changed = await users.provision({ ...profile, ...refreshed });
    expect(changed).toMatchObject({ id: first.id, ...refreshed, version: 1 });
    expect(changed.storedBlock?.reason).toBe('LATE_RETURN');
    expect(changed.blockHistory).toHaveLength(1);
  });
});

describe('MongoPersonalUserRepository.save', () => {
  it('writes block, history and outbox and bumps the version, leaving the profile alone', async () => {
    const profile = memberProfile();
    const loaded = await users.provision(profile);
    // A profile refresh between read and save must survive the save.
    await users.provision({ ...profile, displayName: 'Fresh name' });
    loaded.block(blockCommand('corr-save'));
    await users.save(loaded);

    const stored = await users.findById(loaded.id);
    expect(stored).toMatchObject({ version: 1, displayName: 'Fresh name' });
    expect(stored?.storedBlock).toEqual(loaded.storedBlock);
    expect(stored?.blockHistory).toEqual([...loaded.blockHistory]);
    expect(stored?.isBlocked()).toBe(true);
    const events = (await users.findUnpublishedEvents(1000)).filter((event) => event.aggregateId === loaded.id);
    expect(events).toEqual([...loaded.newEvents]);
    expect(events[0]?.occurredAt).toBeInstanceOf(Date);
  });

  it('refuses a stale version with ConcurrencyError and changes nothing', async () => {
    const created = await users.provision(memberProfile());
    const first = (await users.findById(created.id))!;
    const second = (await users.findById(created.id))!;
    first.block(blockCommand());
    await users.save(first);
    second.block({ ...blockCommand(), reason: 'ITEM_DAMAGE' });
    await expect(users.save(second)).rejects.toBeInstanceOf(ConcurrencyError);

    const stored = await users.findById(created.id);
    expect(stored?.version).toBe(1);
    expect(stored?.storedBlock?.reason).toBe('LATE_RETURN');
    expect(stored?.blockHistory).toHaveLength(1);
  });
});

describe('MongoPersonalUserRepository outbox', () => {
  it('lists unpublished events oldest first and removes published ones by id', async () => {
    const member = await users.provision(memberProfile());
    const blocked = (await users.findById(member.id))!;
    blocked.block(blockCommand('o-1'));
    await users.save(blocked);
    const unblocked = (await users.findById(member.id))!;
    unblocked.unblock({ actor: actor(), reason: 'Sorted out', correlationId: 'o-2' });
    await users.save(unblocked);

    const mine = async () => (await users.findUnpublishedEvents(1000)).filter((e) => e.aggregateId === member.id);
    const pending = await mine();
    expect(pending.map((event) => event.type)).toEqual(['user.blocked', 'user.unblocked']);
    expect(pending.map((event) => event.correlationId)).toEqual(['o-1', 'o-2']);
    expect(pending[1]?.payload.status).toEqual(unblocked.newEvents[0]?.payload.status);
    expect(await users.findUnpublishedEvents(1)).toHaveLength(1);

    await users.markEventsPublished(member.id, [pending[0]!.id, newEntityId()]);
    expect((await mine()).map((event) => event.id)).toEqual([pending[1]!.id]);
    await users.markEventsPublished(member.id, [pending[1]!.id]);
    expect(await mine()).toEqual([]);
    await expect(users.markEventsPublished(newEntityId(), ['x'])).resolves.toBeUndefined();
    expect((await users.findById(member.id))?.blockHistory).toHaveLength(2);
  });
});

describe('MongoPersonalUserRepository queries', () => {
  it('finds many by ids in the order asked, skipping unknown ids', async () => {
    const a = await users.provision(memberProfile());
    const b = await users.provision(memberProfile());
    const found = await users.findManyByIds([b.id, newEntityId(), a.id, b.id]);
    expect(found.map((user) => user.id)).toEqual([b.id, a.id]);
    expect(await users.findManyByIds([])).toEqual([]);
    expect(await users.findById(newEntityId())).toBeNull();
  });

  it('finds blocks in force at `from` that expire by `until`', async () => {
    const now = systemClock.now();
    const week = await users.provision(memberProfile());
    week.block(blockCommand());
    await users.save(week);
    const month = await users.provision(memberProfile());
    month.block({ ...blockCommand(), duration: 'DAYS_30' });
    await users.save(month);
    const forever = await users.provision(memberProfile());
    forever.block({ ...blockCommand(), duration: 'INDEFINITE' });
    await users.save(forever);
    const ours = new Set([week.id, month.id, forever.id]);
    const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);
    const between = async (fromDays: number, untilDays: number) =>
      (await users.findBlocksExpiringBetween(inDays(fromDays), inDays(untilDays)))
        .map((user) => user.id)
        .filter((id) => ours.has(id));

    expect(await between(0, 8)).toEqual([week.id]);
    expect(await between(0, 31)).toEqual([week.id, month.id]);
    expect(await between(8, 31)).toEqual([month.id]);
    expect(await between(31, 10_000)).toEqual([]);
  });
});
