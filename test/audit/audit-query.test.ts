import { mongo } from 'mongoose';
import { createLogger } from '../../infrastructure/logging/logger';
import { closeMongo, connectMongo } from '../../infrastructure/mongo/connection';
import { auditQuery } from '../../infrastructure/mongo/repositories/audit-log.repository';
import { testMongoUri } from '../support/test-env';

/**
 * The shape of the page query is what lets MongoDB answer every filter from an index
 * ending in (at, _id) without a blocking sort; these tests pin it down. (SecantusDB 0.7
 * picks these indexes but does not stop its scan at the limit: see the README's benchmarks.)
 */

const since = new Date('2031-01-01T00:00:00.000Z');
const until = new Date('2031-02-01T00:00:00.000Z');
const cursor = { at: new Date('2031-01-15T00:00:00.000Z'), id: 'aaaaaaaaaaaaaaaaaaaaaaaa' };
const user = 'bbbbbbbbbbbbbbbbbbbbbbbb';

test('no filter, no cursor: match everything (index (at, _id) gives the order)', () => {
  expect(auditQuery({}, null)).toEqual({});
});

test('one type is an equality, several an $in (merge-sorted over (type, at, _id))', () => {
  expect(auditQuery({ types: ['USER_BLOCKED'] }, null)).toEqual({ type: 'USER_BLOCKED' });
  expect(auditQuery({ types: ['USER_BLOCKED', 'RATE_LIMITED'] }, null)).toEqual({ type: { $in: ['USER_BLOCKED', 'RATE_LIMITED'] } });
});

test('since, until and the cursor all bound `at`; only the id tie-break is residual', () => {
  expect(auditQuery({ since, until }, cursor)).toEqual({
    at: { $gte: since, $lt: until, $lte: cursor.at },
    $or: [{ at: { $lt: cursor.at } }, { _id: { $lt: cursor.id } }],
  });
});

test('userId is an $or of an actor and a target branch, each carrying every other condition', () => {
  const query = auditQuery({ userId: user, types: ['USER_BLOCKED'], since }, cursor);
  const rest = {
    type: 'USER_BLOCKED',
    at: { $gte: since, $lte: cursor.at },
    $or: [{ at: { $lt: cursor.at } }, { _id: { $lt: cursor.id } }],
  };
  expect(query).toEqual({ $or: [{ actorId: user, ...rest }, { targetId: user, ...rest }] });
});

test('the audit collection has an index ending in (at, _id) for each access path', async () => {
  const uri = testMongoUri();
  const conn = await connectMongo(uri, createLogger('test'));
  try {
    const indexes = await conn.collection('auditEntries').listIndexes().toArray();
    const keys = indexes.map((index: mongo.Document) => Object.entries(index.key as Record<string, number>));
    expect(keys).toEqual(
      expect.arrayContaining([
        [['at', -1], ['_id', -1]],
        [['type', 1], ['at', -1], ['_id', -1]],
        [['actorId', 1], ['at', -1], ['_id', -1]],
        [['targetId', 1], ['at', -1], ['_id', -1]],
      ]),
    );
  } finally {
    await closeMongo(conn);
  }
});
